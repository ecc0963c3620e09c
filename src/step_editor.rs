//! Edits one step of the editor's scenario in place; an edit whose text does not read leaves
//! the step as it was and says why, until an edit reads.

use leptos::prelude::*;
use wsprobe_core::scenario::{Scenario, StepKind};

use crate::editor::Editor;

#[derive(Clone, Copy)]
pub struct StepEditor {
    editor: Editor,
    pub id: u64,
    /// Why the last edit did not read.
    pub problem: RwSignal<Option<String>>,
}

impl StepEditor {
    pub fn new(editor: Editor, id: u64) -> Self {
        Self {
            editor,
            id,
            problem: RwSignal::new(None),
        }
    }

    /// Tries `edit` on the step.
    pub fn apply(&self, edit: impl FnOnce(&mut StepKind) -> Result<(), String>) {
        self.apply_to(self.problem, edit);
    }

    /// Tries `edit` on the step, saying in `problem` why it did not read: for a field that
    /// shows its own reason beside it.
    pub fn apply_to(
        &self,
        problem: RwSignal<Option<String>>,
        edit: impl FnOnce(&mut StepKind) -> Result<(), String>,
    ) {
        let mut result = Ok(());
        let mut edit = Some(edit);
        self.editor.scenario.update(|s| {
            if let (Some(kind), Some(edit)) = (s.step_mut(self.id), edit.take()) {
                result = edit(kind);
            }
        });
        problem.set(result.err());
    }

    /// An edit that always reads.
    pub fn set(&self, edit: impl FnOnce(&mut StepKind)) {
        self.apply(|kind| {
            edit(kind);
            Ok(())
        });
    }

    /// An edit of the whole scenario around the step (move, duplicate, remove).
    pub fn around(&self, edit: impl FnOnce(&mut Scenario, u64)) {
        let id = self.id;
        self.editor.scenario.update(|s| edit(s, id));
    }

    /// The step's position, from 1 (tracked).
    pub fn number(&self) -> usize {
        self.editor
            .scenario
            .with(|s| s.steps.iter().position(|s| s.id == self.id))
            .map_or(0, |at| at + 1)
    }
}
