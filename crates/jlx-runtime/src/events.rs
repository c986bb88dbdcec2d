//! The event loop: one mio `Poll` owns all waiting. mio has no timers, so
//! the nearest timer deadline is the poll timeout; other threads (the
//! thread pool, the REPL) wake the loop through its `Waker`.
//!
//! Invariant: the loop never spins; `wait_until` sleeps in the kernel until
//! the deadline or a wake-up.

use mio::{Events, Poll, Token, Waker};
use std::sync::Arc;
use std::time::Duration;

pub const WAKE: Token = Token(0);

pub struct EventLoop {
    poll: Poll,
    events: Events,
    waker: Arc<Waker>,
}

impl EventLoop {
    pub fn new() -> std::io::Result<EventLoop> {
        let poll = Poll::new()?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKE)?);
        Ok(EventLoop { poll, events: Events::with_capacity(64), waker })
    }

    /// A handle other threads use to wake this loop.
    pub fn waker(&self) -> Arc<Waker> {
        self.waker.clone()
    }

    /// Block for at most `timeout` (forever if `None`); returns whether any
    /// event arrived.
    pub fn wait(&mut self, timeout: Option<Duration>) -> bool {
        loop {
            match self.poll.poll(&mut self.events, timeout) {
                Ok(()) => return !self.events.is_empty(),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return false,
            }
        }
    }
}
