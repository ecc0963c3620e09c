//! What the saved requests list does: open one (over unsaved edits, with undo), rename,
//! duplicate, delete (with undo), export and import; and what it says about it.

use leptos::prelude::*;
use wsprobe_core::saved::{self, SavedRequest};

use crate::editor::{Editor, EditorSnapshot};
use crate::glue::{download, file};
use crate::library::Library;

/// What the last action can take back.
#[derive(Clone, PartialEq)]
pub enum Undo {
    Delete(SavedRequest),
    /// Opening a saved request replaced edits that were not saved.
    Open(EditorSnapshot),
}

/// What the last action did, for the line under the list.
#[derive(Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
    pub undo: Option<Undo>,
}

fn done(text: String, undo: Option<Undo>) -> Option<Status> {
    Some(Status {
        text,
        error: false,
        undo,
    })
}

fn failed(text: String) -> Option<Status> {
    Some(Status {
        text,
        error: true,
        undo: None,
    })
}

#[derive(Clone, Copy)]
pub struct SavedRequests {
    editor: Editor,
    library: Library,
    pub status: RwSignal<Option<Status>>,
    /// The New name field is showing.
    pub renaming: RwSignal<bool>,
    /// Export puts secret values in the file.
    pub with_secrets: RwSignal<bool>,
}

impl SavedRequests {
    pub fn new(editor: Editor, library: Library) -> Self {
        Self {
            editor,
            library,
            status: RwSignal::new(None),
            renaming: RwSignal::new(false),
            with_secrets: RwSignal::new(false),
        }
    }

    /// The saved request the editor holds (tracked).
    pub fn current(&self) -> Option<SavedRequest> {
        self.editor.loaded()
    }

    pub fn open(&self, saved: SavedRequest) {
        let editor = self.editor;
        let had_edits = editor.has_unsaved_edits();
        let undo = had_edits.then(|| Undo::Open(editor.snapshot()));
        editor.load(saved.request);
        editor.saved_id.set(Some(saved.id));
        editor.name.set(saved.name.clone());
        self.renaming.set(false);
        let note = if had_edits {
            " Your edits before it can be brought back."
        } else {
            ""
        };
        self.status.set(done(
            format!("Opened \u{201c}{}\u{201d}.{note}", saved.name),
            undo,
        ));
    }

    pub fn undo(&self, undo: Undo) {
        self.status.set(match undo {
            Undo::Delete(saved) => {
                let name = saved.name.clone();
                match self.library.restore(saved) {
                    Ok(()) => done(format!("\u{201c}{name}\u{201d} is back."), None),
                    Err(why) => failed(why),
                }
            }
            Undo::Open(snapshot) => {
                self.editor.restore(snapshot);
                done("Your earlier edits are back.".into(), None)
            }
        });
    }

    pub fn duplicate(&self) {
        let Some(saved) = untrack(|| self.current()) else {
            return;
        };
        self.status.set(match self.library.duplicate(&saved.id) {
            Ok(()) => done(
                format!("Saved a copy of \u{201c}{}\u{201d}.", saved.name),
                None,
            ),
            Err(why) => failed(why),
        });
    }

    pub fn delete(&self) {
        let Some(saved) = untrack(|| self.current()) else {
            return;
        };
        self.status.set(match self.library.delete(&saved.id) {
            Ok(deleted) => {
                self.editor.saved_id.set(None);
                done(
                    format!("Deleted \u{201c}{}\u{201d}.", deleted.name),
                    Some(Undo::Delete(deleted)),
                )
            }
            Err(why) => failed(why),
        });
    }

    pub fn rename(&self, name: &str) {
        let Some(saved) = untrack(|| self.current()) else {
            return;
        };
        self.renaming.set(false);
        let name = name.trim();
        self.status.set(match self.library.rename(&saved.id, name) {
            Ok(()) => {
                self.editor.name.set(name.to_string());
                done(
                    format!(
                        "Renamed \u{201c}{}\u{201d} to \u{201c}{name}\u{201d}.",
                        saved.name
                    ),
                    None,
                )
            }
            Err(why) => failed(why),
        });
    }

    pub fn export(&self) {
        let text = self.library.export_file(self.with_secrets.get_untracked());
        let saved = download::save_text("wsprobe-saved.json", "application/json", &text);
        self.status.set(
            saved
                .err()
                .and_then(|why| failed(format!("Export failed: {why}"))),
        );
    }

    /// Imports the file picked in the input that fired `event`.
    pub fn import(&self, event: &web_sys::Event) {
        let Some(picked) = file::picked(event) else {
            return;
        };
        // Refused before it is read: a file of gigabytes would not fit in the page's memory.
        let size = picked.size() as usize;
        if size > saved::MAX_IMPORT_BYTES {
            return self
                .status
                .set(failed(format!("Not imported: {}", saved::too_large(size))));
        }
        let (library, status) = (self.library, self.status);
        leptos::task::spawn_local(async move {
            status.set(
                match file::read_text(&picked)
                    .await
                    .map_err(|e| e.to_string())
                    .and_then(|text| library.import_file(&text))
                {
                    Ok(report) => done(report, None),
                    Err(why) => failed(format!("Not imported: {why}")),
                },
            );
        });
    }
}
