//! `--env`: the variables a run fills `{{name}}` from. Secret values come from the process
//! environment (`WSPROBE_VAR_<NAME>`), so they stay off the command line and out of files.

use std::path::Path;

use serde_json::Value;
use wsprobe_core::saved::ExportFile;
use wsprobe_core::variables::{Environment, Variable};

/// The variables to run with, and the secrets that had no value (for the hint when a scenario
/// uses one).
#[derive(Debug, Default)]
pub struct Loaded {
    pub variables: Vec<Variable>,
    pub missing_secrets: Vec<String>,
}

/// The environment variable that gives `name` its value: `api-token` → `WSPROBE_VAR_API_TOKEN`.
pub fn env_var_name(name: &str) -> String {
    let upper: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("WSPROBE_VAR_{upper}")
}

/// Reads `path` (see `wsprobe run --help`); `lookup` reads the process environment.
pub fn load(
    path: &Path,
    env_name: Option<&str>,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Loaded, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
    let variables = parse(&text, env_name)?;
    let mut loaded = Loaded::default();
    for mut variable in variables {
        if let Some(value) = lookup(&env_var_name(&variable.name)) {
            variable.value = value;
        } else if variable.secret && variable.value.is_empty() {
            // Left undefined: a scenario that uses it stops before dialling, naming it.
            loaded.missing_secrets.push(variable.name);
            continue;
        }
        loaded.variables.push(variable);
    }
    Ok(loaded)
}

fn parse(text: &str, env_name: Option<&str>) -> Result<Vec<Variable>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "it is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let Value::Object(object) = &value else {
        return Err("it is not a JSON object of variables".into());
    };
    if object.get("wsprobe").and_then(Value::as_str) == Some("saved") {
        let export = ExportFile::read(text)?;
        return pick(export.environments, env_name);
    }
    if env_name.is_some() {
        return Err(
            "--env-name picks an environment from an export file, and this is not one".into(),
        );
    }
    if object.get("variables").is_some_and(Value::is_array) {
        let environment: Environment = serde_json::from_value(value)
            .map_err(|e| format!("it is not a valid environment: {e}"))?;
        return Ok(environment.variables);
    }
    object
        .iter()
        .map(|(name, value)| match value {
            Value::String(text) => Ok(Variable {
                name: name.clone(),
                value: text.clone(),
                secret: false,
            }),
            Value::Null => Ok(Variable {
                name: name.clone(),
                value: String::new(),
                secret: true,
            }),
            _ => Err(format!(
                "the variable \u{201c}{name}\u{201d} is not a string (or null for a secret)"
            )),
        })
        .collect()
}

fn pick(environments: Vec<Environment>, wanted: Option<&str>) -> Result<Vec<Variable>, String> {
    let names = || {
        environments
            .iter()
            .map(|e| format!("\u{201c}{}\u{201d}", e.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match wanted {
        Some(wanted) => match environments.iter().find(|e| e.name == wanted) {
            Some(found) => Ok(found.variables.clone()),
            None => Err(format!(
                "it has no environment named \u{201c}{wanted}\u{201d} (it has: {})",
                if environments.is_empty() {
                    "none".into()
                } else {
                    names()
                }
            )),
        },
        None => match environments.as_slice() {
            [only] => Ok(only.variables.clone()),
            [] => Err("the export file has no environments".into()),
            _ => Err(format!(
                "the export file has several environments ({}); pick one with --env-name",
                names()
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<(String, String, bool)>, String> {
        parse(text, None).map(|vars| {
            vars.into_iter()
                .map(|v| (v.name, v.value, v.secret))
                .collect()
        })
    }

    #[test]
    fn names_map_to_environment_variables() {
        assert_eq!(env_var_name("api-token"), "WSPROBE_VAR_API_TOKEN");
        assert_eq!(env_var_name(" room "), "WSPROBE_VAR_ROOM");
    }

    #[test]
    fn plain_objects_and_environments_read() {
        assert_eq!(
            read(r#"{"room": "7", "token": null}"#),
            Ok(vec![
                ("room".into(), "7".into(), false),
                ("token".into(), String::new(), true)
            ])
        );
        let environment = r#"{"id": "e1", "name": "local", "variables": [
            {"name": "token", "value": "", "secret": true}, {"name": "room", "value": "7"}]}"#;
        assert_eq!(
            read(environment),
            Ok(vec![
                ("token".into(), String::new(), true),
                ("room".into(), "7".into(), false)
            ])
        );
        assert!(read(r#"{"room": 7}"#).is_err_and(|e| e.contains("room")));
        assert!(read("[1]").is_err_and(|e| e.contains("not a JSON object")));
    }

    #[test]
    fn secrets_come_from_the_process_environment() {
        let dir = std::env::temp_dir().join(format!("wsprobe-env-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("env.json");
        std::fs::write(&path, r#"{"token": null, "key": null, "room": "7"}"#).unwrap();
        let loaded = load(&path, None, |name| {
            (name == "WSPROBE_VAR_TOKEN").then(|| "s3cret".to_string())
        })
        .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let mut values: Vec<(&str, &str)> = loaded
            .variables
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect();
        values.sort();
        assert_eq!(values, [("room", "7"), ("token", "s3cret")]);
        assert_eq!(loaded.missing_secrets, ["key"]);
    }
}
