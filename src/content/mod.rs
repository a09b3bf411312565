//! Content packs: the model, loading from the embedded pack or a folder, and validation.

pub mod model;

pub use model::*;
