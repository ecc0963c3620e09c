//! Runs scenarios in the page. The core's engine decides every verdict; this only carries out
//! its actions through the session's connection (so the Handshake panel, the relay and the
//! log show the run, with a marker per step) and fires its timers.

use leptos::prelude::*;
use wsprobe_core::log::{Direction, Payload};
use wsprobe_core::saved::SavedRequest;
use wsprobe_core::scenario::{Report, Run, StepState, SuiteReport, TimerId, record_spoken};

use crate::context::injected;
use crate::editor::{Editor, EditorSnapshot};
use crate::library::Library;
use crate::session::Session;

mod driver;
mod results;
mod suite;

#[derive(Clone, Copy)]
pub struct ScenarioRun {
    session: Session,
    editor: Editor,
    library: Library,
    engine: StoredValue<Option<Run>, LocalStorage>,
    timers: StoredValue<Vec<(TimerId, TimeoutHandle)>>,
    /// Each step of the run in progress or last finished, by step id, with its state.
    pub steps: RwSignal<Vec<(u64, StepState)>>,
    /// The last run's report, once it finished.
    pub report: RwSignal<Option<Report>>,
    /// Run all scenarios: the reports so far, and the saved requests still to run.
    pub suite: RwSignal<Option<SuiteReport>>,
    queue: StoredValue<Vec<SavedRequest>>,
    /// What the editor held before Run all scenarios, brought back at the end.
    before_suite: StoredValue<Option<EditorSnapshot>>,
    /// Why a run could not start, or what the last action did.
    pub notice: RwSignal<Option<String>>,
    /// Copy summary worked (until the next run).
    pub copied: RwSignal<bool>,
}

/// Scenario runs, as provided at the page's top.
pub fn use_scenario_run() -> ScenarioRun {
    injected()
}

impl ScenarioRun {
    pub fn new(session: Session) -> Self {
        let this = Self {
            session,
            editor: session.editor,
            library: session.library,
            engine: StoredValue::new_local(None),
            timers: StoredValue::new(Vec::new()),
            steps: RwSignal::new(Vec::new()),
            report: RwSignal::new(None),
            suite: RwSignal::new(None),
            queue: StoredValue::new(Vec::new()),
            before_suite: StoredValue::new(None),
            notice: RwSignal::new(None),
            copied: RwSignal::new(false),
        };
        // A run's timers and its hold on the connection end with the page part that owns it.
        on_cleanup(move || this.stop_quietly());
        this
    }

    pub fn is_running(&self) -> bool {
        self.steps
            .with(|steps| steps.iter().any(|(_, s)| !s.is_final()))
    }

    /// The state of the step with `id` in the current or last run (tracked).
    pub fn state_of(&self, id: u64) -> Option<StepState> {
        self.steps.with(|steps| {
            steps
                .iter()
                .find(|(step, _)| *step == id)
                .map(|(_, s)| s.clone())
        })
    }

    /// Record as scenario: the connection just made by hand, as steps (replacing the steps).
    pub fn record(&self) {
        let exchange = self.session.exchange();
        if exchange.is_empty() {
            return self.notice.set(Some(
                "Nothing to record yet: connect, send and receive some messages, then record."
                    .into(),
            ));
        }
        // A connection that spoke a protocol records as its emits, calls, events and replies.
        let protocol = self.editor.protocol.get_untracked();
        let mut scenario = record_spoken(&exchange, &protocol);
        scenario.name = self.editor.scenario.with_untracked(|s| s.name.clone());
        let count = scenario.steps.len();
        self.editor.scenario.set(scenario);
        self.steps.set(Vec::new());
        self.report.set(None);
        self.notice.set(Some(format!(
            "Recorded {count} steps from this connection."
        )));
    }

    /// Run scenario: the editor's request and scenario.
    pub fn run(&self) {
        self.suite.set(None);
        self.queue.set_value(Vec::new());
        if let Err(why) = self.start() {
            self.notice.set(Some(why));
        }
    }

    fn mark(&self, text: String) {
        self.session
            .log
            .record(Direction::Event, Payload::Event(text));
    }

    fn clear_timers(&self) {
        let timers = self
            .timers
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for (_, handle) in timers {
            handle.clear();
        }
    }

    fn stop_quietly(&self) {
        self.clear_timers();
        self.session.watch(None);
    }
}
