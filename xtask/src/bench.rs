//! bench
use std::path::Path;
pub fn run(_d: &Path) -> crate::Result {
    Ok(())
}
