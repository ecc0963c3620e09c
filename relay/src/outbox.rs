//! What waits to be written to one socket, and the task that writes it.
//!
//! Data messages are bounded in bytes, not in count: together, those queued and the one being
//! written hold at most one largest message's worth (`--max-message-bytes`). With the reader
//! that feeds the queue holding one more while it waits for room, a direction whose far side
//! stops reading keeps at most two largest messages in memory.

use std::sync::Arc;

use futures_util::{Sink, SinkExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

/// Many small messages may wait within the byte budget; this keeps their bookkeeping bounded too.
const MAX_QUEUED: usize = 64;
/// Close and ping frames: a few bytes each, and the page's pings are capped elsewhere.
const MAX_CONTROL_FRAMES: usize = 64;

/// Two queues into one socket: close and ping frames overtake queued data.
pub struct Outbox {
    pub data: DataQueue,
    pub ctrl: mpsc::Sender<Message>,
}

/// The data side of an `Outbox`: a message takes its size from the byte budget until it has
/// been written.
#[derive(Clone)]
pub struct DataQueue {
    messages: mpsc::Sender<(Message, OwnedSemaphorePermit)>,
    budget: Arc<Semaphore>,
    size: u32,
}

impl DataQueue {
    /// Waits until the message fits in the budget, then queues it; false when the writer is gone.
    pub async fn send(&self, message: Message) -> bool {
        // A message is never larger than the limit, which is the whole budget; cap anyway, so
        // that a miscount cannot wait forever.
        let cost = u32::try_from(message.len())
            .unwrap_or(u32::MAX)
            .min(self.size);
        let Ok(permit) = self.budget.clone().acquire_many_owned(cost).await else {
            return false;
        };
        self.messages.send((message, permit)).await.is_ok()
    }
}

/// Starts the task that writes `sink`, with a data budget of `max_message_bytes`.
pub fn spawn_writer<S>(mut sink: S, max_message_bytes: usize) -> (Outbox, JoinHandle<()>)
where
    S: Sink<Message> + Unpin + Send + 'static,
{
    // Permits are counted in u32 and a semaphore holds fewer than usize::MAX.
    let size = max_message_bytes
        .min(Semaphore::MAX_PERMITS)
        .min(u32::MAX as usize)
        .max(1);
    let budget = Arc::new(Semaphore::new(size));
    let (messages, mut data_rx) = mpsc::channel(MAX_QUEUED);
    let (ctrl, mut ctrl_rx) = mpsc::channel::<Message>(MAX_CONTROL_FRAMES);
    let writer = tokio::spawn(async move {
        loop {
            // The permit is released once the message has left, not when it leaves the queue.
            let (message, _permit) = tokio::select! {
                biased;
                Some(m) = ctrl_rx.recv() => (m, None),
                Some((m, permit)) = data_rx.recv() => (m, Some(permit)),
                else => break,
            };
            let close = matches!(message, Message::Close(_));
            // Nothing may follow a close frame.
            if sink.send(message).await.is_err() || close {
                break;
            }
        }
    });
    let data = DataQueue {
        messages,
        budget,
        size: u32::try_from(size).unwrap_or(u32::MAX),
    };
    (Outbox { data, ctrl }, writer)
}
