//! demo
use std::path::Path;
pub fn run(_d: &Path, _h: bool) -> crate::Result {
    Ok(())
}
