//! The variables a run substitutes: the environment's, then those steps capture, which win
//! over the environment's of the same name. A captured JSON value keeps its type where a
//! JSON expectation uses it whole (`"id": "{{id}}"` expects the number 42 if 42 was captured).

use std::collections::HashMap;

use serde_json::Value;

use crate::variables::{self, Builtins, Variable, VariableError};

#[derive(Debug, Clone, Default)]
pub(crate) struct Vars {
    /// The environment's first, captured ones after: `substitute` takes the last of a name.
    list: Vec<Variable>,
    /// Captured JSON values by name, for whole-value use in JSON.
    json: HashMap<String, Value>,
    captured: Vec<String>,
}

impl Vars {
    pub fn new(environment: &[Variable]) -> Self {
        Self {
            list: environment.to_vec(),
            ..Self::default()
        }
    }

    pub fn set(&mut self, name: &str, text: String, json: Option<Value>) {
        if self.captured.iter().any(|c| c == name) {
            // Only captured entries are replaced; the environment's stays underneath.
            if let Some(at) = self.list.iter().rposition(|v| v.name.trim() == name) {
                self.list.remove(at);
            }
        } else {
            self.captured.push(name.to_string());
        }
        self.list.push(Variable {
            name: name.to_string(),
            value: text,
            secret: false,
        });
        match json {
            Some(value) => self.json.insert(name.to_string(), value),
            None => self.json.remove(name),
        };
    }

    /// The captured variables' current values, in the order first captured.
    pub fn captured(&self) -> Vec<(String, String)> {
        self.captured
            .iter()
            .filter_map(|name| {
                self.list
                    .iter()
                    .rev()
                    .find(|v| v.name == *name)
                    .map(|v| (name.clone(), v.value.clone()))
            })
            .collect()
    }

    pub fn text(&self, text: &str, builtins: &mut Builtins<'_>) -> Result<String, VariableError> {
        if !variables::has_variables(text) {
            return Ok(text.to_string());
        }
        variables::substitute(text, &self.list, builtins)
    }

    /// `value` with variables replaced in its strings: a string that is one `{{name}}` of a
    /// captured JSON value becomes that value, any other has its variables replaced as text.
    pub fn json(&self, value: &Value, builtins: &mut Builtins<'_>) -> Result<Value, VariableError> {
        Ok(match value {
            Value::String(s) => match whole_reference(s).and_then(|name| self.json.get(name)) {
                Some(captured) => captured.clone(),
                None => Value::String(self.text(s, builtins)?),
            },
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.json(v, builtins))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), self.json(v, builtins)?)))
                    .collect::<Result<_, VariableError>>()?,
            ),
            other => other.clone(),
        })
    }
}

/// The name in a string that is exactly one variable, `{{ name }}`.
fn whole_reference(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.contains("{{") && !inner.contains("}}")).then(|| inner.trim())
}

/// Whether a JSON value has a variable in any string.
pub(crate) fn json_has_variables(value: &Value) -> bool {
    match value {
        Value::String(s) => variables::has_variables(s),
        Value::Array(items) => items.iter().any(json_has_variables),
        Value::Object(map) => map.values().any(json_has_variables),
        _ => false,
    }
}

/// Checks, before a run, that every variable in `text` will be known: `known` holds the
/// environment's names and those captured by earlier steps (their values do not matter).
pub(crate) fn check(text: &str, known: &[Variable]) -> Result<(), VariableError> {
    if !variables::has_variables(text) {
        return Ok(());
    }
    let mut random = || 0;
    variables::substitute(
        text,
        known,
        &mut Builtins {
            now_ms: 0.0,
            random: &mut random,
            counter: 0,
        },
    )
    .map(drop)
}

pub(crate) fn check_json(value: &Value, known: &[Variable]) -> Result<(), VariableError> {
    match value {
        Value::String(s) => check(s, known),
        Value::Array(items) => items.iter().try_for_each(|v| check_json(v, known)),
        Value::Object(map) => map.values().try_for_each(|v| check_json(v, known)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn env() -> Vec<Variable> {
        vec![Variable {
            name: "id".into(),
            value: "env".into(),
            secret: false,
        }]
    }

    fn with<T>(f: impl FnOnce(&mut Builtins<'_>) -> T) -> T {
        let mut random = || 4;
        f(&mut Builtins {
            now_ms: 0.0,
            random: &mut random,
            counter: 0,
        })
    }

    #[test]
    fn captured_values_win_over_the_environment() {
        let mut vars = Vars::new(&env());
        assert_eq!(with(|b| vars.text("{{id}}", b)), Ok("env".into()));
        vars.set("id", "42".into(), Some(json!(42)));
        vars.set("id", "43".into(), Some(json!(43)));
        assert_eq!(with(|b| vars.text("x{{ id }}", b)), Ok("x43".into()));
        assert_eq!(vars.captured(), vec![("id".to_string(), "43".to_string())]);
        assert_eq!(
            with(|b| vars.json(
                &json!({"a": "{{id}}", "b": "#{{id}}", "c": [" {{ id }} "]}),
                b
            )),
            Ok(json!({"a": 43, "b": "#43", "c": [43]}))
        );
        vars.set("id", "text".into(), None);
        assert_eq!(with(|b| vars.json(&json!("{{id}}"), b)), Ok(json!("text")));
    }

    #[test]
    fn unknown_names_are_found_before_the_run() {
        assert!(check("{{id}} {{$uuid}}", &env()).is_ok());
        assert!(check("{{nope}}", &env()).is_err());
        assert!(check_json(&json!({"a": ["{{nope}}"]}), &env()).is_err());
        assert!(json_has_variables(&json!({"a": [1, "{{x}}"]})));
        assert!(!json_has_variables(&json!({"{{a}}": 1})));
    }
}
