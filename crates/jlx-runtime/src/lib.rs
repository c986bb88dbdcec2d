//! The task runtime (scheduler, mio event loop, timers, thread pool,
//! deadlock detection). Not built yet: tasks and channels are the next
//! issue. The VM already returns a closed `Halt` from `run`, keeps every
//! value `Send + Sync` and never calls back into a scheduler, so this crate
//! can drive fibers without changes to the VM's shape.
