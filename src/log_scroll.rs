//! Where the message log is scrolled to: which rows are in view, following the newest entry
//! until the person scrolls up, and keeping their reading place while entries come and go.

use leptos::html::Div;
use leptos::prelude::*;

use crate::log_state::LogState;

/// Must match `.entry { height }` in style/main.css.
pub const ROW_HEIGHT: f64 = 28.0;
/// Rows rendered beyond each edge of the view, so fast scrolling shows no gaps.
const MARGIN_ROWS: usize = 8;

#[derive(Clone, Copy)]
pub struct LogScroll {
    log: LogState,
    viewport: NodeRef<Div>,
    scroll_top: RwSignal<f64>,
    view_height: RwSignal<f64>,
    /// At the newest entry, and staying there as entries arrive.
    pub following: RwSignal<bool>,
    /// While the person reads, the entry at the top of the view, so that entries dropped from
    /// the front of a capped log do not pull the page out from under their eyes.
    anchor: StoredValue<Option<(u64, f64)>>,
    /// The position the page itself last scrolled to: its scroll event must not re-anchor, or
    /// the anchor would drift with the messages that arrived in between.
    placed: StoredValue<Option<i32>>,
    /// The seqs of the rows on screen, from index `.0`: what the person sees when they scroll,
    /// which the log may have moved past since.
    on_screen: StoredValue<(usize, Vec<u64>)>,
}

impl LogScroll {
    /// Also starts following new entries (see `follow`).
    pub fn new(log: LogState, viewport: NodeRef<Div>) -> Self {
        let this = Self {
            log,
            viewport,
            scroll_top: RwSignal::new(0.0),
            view_height: RwSignal::new(600.0),
            following: RwSignal::new(true),
            anchor: StoredValue::new(None),
            placed: StoredValue::new(None),
            on_screen: StoredValue::new((0, Vec::new())),
        };
        Effect::new(move |_| {
            log.changed.track();
            this.follow();
        });
        this
    }

    /// The index of the first row drawn (tracked).
    pub fn first(&self) -> usize {
        ((self.scroll_top.get() / ROW_HEIGHT) as usize).saturating_sub(MARGIN_ROWS)
    }

    /// (first row, how many rows) to draw (tracked).
    pub fn rows_in_view(&self) -> (usize, usize) {
        let count = (self.view_height.get() / ROW_HEIGHT).ceil() as usize + 2 * MARGIN_ROWS;
        (self.first(), count)
    }

    /// The rows drawn, by seq, from index `from`.
    pub fn on_screen(&self, from: usize, seqs: Vec<u64>) {
        self.on_screen.set_value((from, seqs));
    }

    /// After the person scrolled: follow or not, and the entry they are reading.
    pub fn measure(&self) {
        let Some(el) = self.viewport.get_untracked() else {
            return;
        };
        let (top, height) = (el.scroll_top() as f64, el.client_height() as f64);
        self.following
            .set(top + height >= el.scroll_height() as f64 - ROW_HEIGHT / 2.0);
        if self.placed.try_update_value(Option::take).flatten() != Some(el.scroll_top()) {
            let index = (top / ROW_HEIGHT) as usize;
            let seen = self.on_screen.with_value(|(from, seqs)| {
                index.checked_sub(*from).and_then(|i| seqs.get(i).copied())
            });
            let seq = seen.or_else(|| self.log.seq_at(index));
            self.anchor
                .set_value(seq.map(|seq| (seq, top - index as f64 * ROW_HEIGHT)));
        }
        self.scroll_top.set(top);
        self.view_height.set(height);
    }

    /// New entries: stay at the newest one unless the person has scrolled up to read.
    fn follow(&self) {
        let Some(el) = self.viewport.get_untracked() else {
            return;
        };
        if self.following.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        } else if let Some((seq, offset)) = self.anchor.get_value() {
            let top = self.log.position_of(seq) as f64 * ROW_HEIGHT + offset;
            if (top - el.scroll_top() as f64).abs() >= 1.0 {
                el.set_scroll_top(top.max(0.0) as i32);
                self.placed.set_value(Some(el.scroll_top()));
                // Render the rows for the new place in this frame, not after its scroll event.
                self.scroll_top.set(el.scroll_top() as f64);
            }
        }
        self.view_height.set(el.client_height() as f64);
    }

    pub fn jump_to_latest(&self) {
        self.following.set(true);
        if let Some(el) = self.viewport.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
    }
}
