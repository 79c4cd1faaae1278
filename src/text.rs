//! Loose comparison of page text with the helper's own words.

/// Lower-case with all whitespace removed, for loose comparisons of page text with the rules'
/// own ASCII words. ASCII case only: Unicode's case tables would cost the module kilobytes, and
/// a word that differs from an ASCII one outside ASCII does not match it either way.
pub fn squash(text: &str) -> String {
    let mut squashed: String = text.split_whitespace().collect();
    squashed.make_ascii_lowercase();
    squashed
}
