//! The data commands (`records`, `zones`, `subscriptions`, `changes`): the real `cloudkit`
//! binary against a real emulator on 127.0.0.1, started in this process.

mod changes;
mod emulator;
mod records;
mod transfer;
mod zones;
