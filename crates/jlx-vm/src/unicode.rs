//! Unicode character classes as Julia reads them: the general category
//! of a character in utf8proc's numbering (`Base.Unicode.category_code`),
//! its abbreviation and name, and the `is*` predicates of Base that are
//! defined by category (`isletter`, `ispunct`, `isprint`, `isspace`,
//! `isnumeric`, ...). The category data is the `unicode-general-category`
//! crate's (Unicode 16.0; Julia 1.11's utf8proc has 15.1, so characters
//! assigned in 16.0 differ).
//!
//! Also the REPL's long display of a `Char`:
//! `'a': ASCII/Unicode U+0061 (category Ll: Letter, lowercase)`.

use unicode_general_category::{get_general_category, GeneralCategory as G};

/// utf8proc's category numbers (`UTF8PROC_CATEGORY_*`).
pub const LU: u8 = 1;
pub const LO: u8 = 5;
pub const ND: u8 = 9;
pub const NO: u8 = 11;
pub const PC: u8 = 12;
pub const PO: u8 = 18;
pub const ZS: u8 = 23;

/// The abbreviations, by category number.
const ABBREVS: [&str; 30] = [
    "Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi",
    "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co",
];

/// Julia's `Base.Unicode.category_strings`, by category number.
const NAMES: [&str; 30] = [
    "Other, not assigned",
    "Letter, uppercase",
    "Letter, lowercase",
    "Letter, titlecase",
    "Letter, modifier",
    "Letter, other",
    "Mark, nonspacing",
    "Mark, spacing combining",
    "Mark, enclosing",
    "Number, decimal digit",
    "Number, letter",
    "Number, other",
    "Punctuation, connector",
    "Punctuation, dash",
    "Punctuation, open",
    "Punctuation, close",
    "Punctuation, initial quote",
    "Punctuation, final quote",
    "Punctuation, other",
    "Symbol, math",
    "Symbol, currency",
    "Symbol, modifier",
    "Symbol, other",
    "Separator, space",
    "Separator, line",
    "Separator, paragraph",
    "Other, control",
    "Other, format",
    "Other, surrogate",
    "Other, private use",
];

/// The general category of `c` as utf8proc numbers it (0 = Cn ... 29 = Co).
pub fn category_code(c: char) -> u8 {
    if c.is_ascii() {
        // The hot case, without the table search.
        return match c {
            'A'..='Z' => LU,
            'a'..='z' => 2,
            '0'..='9' => ND,
            ' ' => ZS,
            '\0'..='\x1f' | '\x7f' => 26,
            '_' => PC,
            '-' => 13,
            '(' | '[' | '{' => 14,
            ')' | ']' | '}' => 15,
            '+' | '<' | '=' | '>' | '|' | '~' => 19,
            '$' => 20,
            '^' | '`' => 21,
            _ => PO,
        };
    }
    match get_general_category(c) {
        G::Unassigned => 0,
        G::UppercaseLetter => 1,
        G::LowercaseLetter => 2,
        G::TitlecaseLetter => 3,
        G::ModifierLetter => 4,
        G::OtherLetter => 5,
        G::NonspacingMark => 6,
        G::SpacingMark => 7,
        G::EnclosingMark => 8,
        G::DecimalNumber => 9,
        G::LetterNumber => 10,
        G::OtherNumber => 11,
        G::ConnectorPunctuation => 12,
        G::DashPunctuation => 13,
        G::OpenPunctuation => 14,
        G::ClosePunctuation => 15,
        G::InitialPunctuation => 16,
        G::FinalPunctuation => 17,
        G::OtherPunctuation => 18,
        G::MathSymbol => 19,
        G::CurrencySymbol => 20,
        G::ModifierSymbol => 21,
        G::OtherSymbol => 22,
        G::SpaceSeparator => 23,
        G::LineSeparator => 24,
        G::ParagraphSeparator => 25,
        G::Control => 26,
        G::Format => 27,
        G::Surrogate => 28,
        G::PrivateUse => 29,
        // (The enum is non-exhaustive; a future category reads as unassigned.)
        _ => 0,
    }
}

/// `Base.Unicode.category_abbrev`: `"Ll"`.
pub fn category_abbrev(c: char) -> &'static str {
    ABBREVS[category_code(c) as usize]
}

/// `Base.Unicode.category_string`: `"Letter, lowercase"`.
pub fn category_string(c: char) -> &'static str {
    NAMES[category_code(c) as usize]
}

/// `isletter`: category L*.
pub fn is_letter(c: char) -> bool {
    (LU..=LO).contains(&category_code(c))
}

/// `isnumeric`: category N*.
pub fn is_numeric(c: char) -> bool {
    (ND..=NO).contains(&category_code(c))
}

/// `ispunct`: category P*.
pub fn is_punct(c: char) -> bool {
    (PC..=PO).contains(&category_code(c))
}

/// `isprint`: categories L*, M*, N*, P*, S* and Zs.
pub fn is_print(c: char) -> bool {
    (LU..=ZS).contains(&category_code(c))
}

/// `isspace`: `\t`..`\r`, space, U+0085 and category Zs.
pub fn is_space(c: char) -> bool {
    c == ' ' || ('\t'..='\r').contains(&c) || c == '\u{85}' || (c >= '\u{a0}' && category_code(c) == ZS)
}

/// `iscntrl`: the control characters of Latin-1.
pub fn is_cntrl(c: char) -> bool {
    c <= '\x1f' || ('\x7f'..='\u{9f}').contains(&c)
}

/// `isuppercase`: the Unicode `Uppercase` derived property.
pub fn is_uppercase(c: char) -> bool {
    c.is_uppercase()
}

/// `islowercase`: the Unicode `Lowercase` derived property.
pub fn is_lowercase(c: char) -> bool {
    c.is_lowercase()
}

/// What the REPL shows for a `Char` after its `show` form:
/// `: ASCII/Unicode U+0061 (category Ll: Letter, lowercase)`.
pub fn char_description(c: char) -> String {
    format!(
        ": {}Unicode U+{:04X} (category {}: {})",
        if c.is_ascii() { "ASCII/" } else { "" },
        c as u32,
        category_abbrev(c),
        category_string(c)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_shortcut_matches_the_table() {
        for c in '\0'..='\x7f' {
            assert_eq!(
                category_code(c),
                {
                    let saved = c;
                    // The table's answer, through a non-ASCII detour.
                    match get_general_category(saved) {
                        G::UppercaseLetter => 1,
                        G::LowercaseLetter => 2,
                        G::DecimalNumber => 9,
                        G::ConnectorPunctuation => 12,
                        G::DashPunctuation => 13,
                        G::OpenPunctuation => 14,
                        G::ClosePunctuation => 15,
                        G::OtherPunctuation => 18,
                        G::MathSymbol => 19,
                        G::CurrencySymbol => 20,
                        G::ModifierSymbol => 21,
                        G::SpaceSeparator => 23,
                        G::Control => 26,
                        other => panic!("{c:?}: {other:?}"),
                    }
                },
                "{c:?}"
            );
        }
    }

    #[test]
    fn julia_descriptions() {
        assert_eq!(char_description('a'), ": ASCII/Unicode U+0061 (category Ll: Letter, lowercase)");
        assert_eq!(char_description('α'), ": Unicode U+03B1 (category Ll: Letter, lowercase)");
        assert_eq!(char_description('\u{10ffff}'), ": Unicode U+10FFFF (category Cn: Other, not assigned)");
        assert_eq!(char_description('😀'), ": Unicode U+1F600 (category So: Symbol, other)");
    }
}
