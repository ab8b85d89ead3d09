//! Sort keys for Vietnamese personal names, in the order exam boards print their lists:
//! given name first, then family and middle names, by the Vietnamese alphabet and tones.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Sort key for a full name. Compare keys, never the raw strings: the raw strings put
/// "Đức" after "Zung" and treat NFC and NFD spellings of one name as different names.
///
/// The key holds the words, given name first, each as its letter ranks, a 0, its tones and
/// another 0. Comparing keys thus compares word by word, letters before tones, and since 0
/// is below every rank and tone, a word sorts before its own extensions ("An" < "Anh").
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NameKey(Vec<u32>);

/// Tones in the traditional dictionary order; a word without a tone mark sorts first. A
/// syllable carries one tone, so tones are kept in order of appearance rather than by the
/// vowel they sit on, which makes the old and new placements ("Hoà", "Hòa") equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tone {
    Grave = 1,
    Hook,
    Tilde,
    Acute,
    Dot,
}

/// The Vietnamese alphabet, with f, j, w and z (found in loanwords and minority names)
/// placed after their nearest Vietnamese neighbour so that every Latin letter has a rank.
const ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";

/// Each vowel with its toned forms, in the order of `TONES` (the first one is untoned).
const TONED_VOWELS: [&str; 12] = [
    "aàảãáạ",
    "ăằẳẵắặ",
    "âầẩẫấậ",
    "eèẻẽéẹ",
    "êềểễếệ",
    "iìỉĩíị",
    "oòỏõóọ",
    "ôồổỗốộ",
    "ơờởỡớợ",
    "uùủũúụ",
    "ưừửữứự",
    "yỳỷỹýỵ",
];
const TONES: [Option<Tone>; 6] = [
    None,
    Some(Tone::Grave),
    Some(Tone::Hook),
    Some(Tone::Tilde),
    Some(Tone::Acute),
    Some(Tone::Dot),
];

/// Ranks of characters outside the alphabet: after every letter, in code point order.
const OUTSIDE: u32 = 0x100;

/// Lowercase letters, precomposed toned vowels included: the base letter and the tone.
fn letters() -> &'static HashMap<char, (char, Option<Tone>)> {
    static TABLE: OnceLock<HashMap<char, (char, Option<Tone>)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<_, _> = ALPHABET.chars().map(|base| (base, (base, None))).collect();
        for row in TONED_VOWELS {
            let base = row.chars().next().unwrap_or_default();
            table.extend(
                row.chars()
                    .zip(TONES)
                    .map(|(form, tone)| (form, (base, tone))),
            );
        }
        table
    })
}

/// Rank of a base letter. Byte offsets in `ALPHABET` grow with the letter order, so they
/// serve as ranks (offset 0 is kept free to sort before every letter).
fn rank(c: char) -> u32 {
    match ALPHABET.find(c) {
        Some(offset) => offset as u32 + 1,
        None => OUTSIDE + u32::from(c),
    }
}

/// Combining tone marks, as found in decomposed (NFD) input.
fn tone_mark(c: char) -> Option<Tone> {
    match c {
        '\u{300}' => Some(Tone::Grave),
        '\u{309}' => Some(Tone::Hook),
        '\u{303}' => Some(Tone::Tilde),
        '\u{301}' => Some(Tone::Acute),
        '\u{323}' => Some(Tone::Dot),
        _ => None,
    }
}

/// The letter a combining breve, circumflex or horn makes of a base letter, if any.
fn modified(base: char, mark: char) -> Option<char> {
    match (base, mark) {
        ('a', '\u{306}') => Some('ă'),
        ('a', '\u{302}') => Some('â'),
        ('e', '\u{302}') => Some('ê'),
        ('o', '\u{302}') => Some('ô'),
        ('o', '\u{31b}') => Some('ơ'),
        ('u', '\u{31b}') => Some('ư'),
        _ => None,
    }
}

/// Appends one word to `key`; `tones` is scratch space, left empty.
fn push_word(word: &str, key: &mut Vec<u32>, tones: &mut Vec<u32>) {
    // The base of the letter last pushed, which a following combining mark may change.
    let mut last_base: Option<char> = None;
    for c in word.chars().flat_map(char::to_lowercase) {
        if let Some(tone) = tone_mark(c) {
            tones.push(tone as u32);
        } else if let Some(letter) = last_base.and_then(|base| modified(base, c)) {
            last_base = Some(letter);
            if let Some(last) = key.last_mut() {
                *last = rank(letter);
            }
        } else {
            let (base, tone) = if c.is_ascii() {
                (c, None)
            } else {
                letters().get(&c).copied().unwrap_or((c, None))
            };
            tones.extend(tone.map(|tone| tone as u32));
            key.push(rank(base));
            last_base = Some(base);
        }
    }
    key.push(0);
    key.append(tones);
    key.push(0);
}

/// The key exam boards sort by: the given name (the last word) first, then the family and
/// middle names in order. Case and runs of whitespace do not matter.
pub fn name_key(full_name: &str) -> NameKey {
    let mut key = Vec::with_capacity(full_name.len() + 8);
    let mut tones = Vec::new();
    let mut words = full_name.split_whitespace();
    if let Some(given) = words.next_back() {
        push_word(given, &mut key, &mut tones);
    }
    for word in words {
        push_word(word, &mut key, &mut tones);
    }
    NameKey(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn before(a: &str, b: &str) {
        assert!(name_key(a) < name_key(b), "expected {a:?} before {b:?}");
    }

    #[test]
    fn given_name_decides_first() {
        before("Nguyễn Văn An", "Trần Thị Bình");
        before("Trần Văn An", "Lê Bình");
        before("Lê An", "Nguyễn An");
    }

    #[test]
    fn tone_breaks_ties_in_traditional_order() {
        before("Lê Văn Anh", "Lê Văn Ánh");
        let order = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ", "Mac"];
        for pair in order.windows(2) {
            before(pair[0], pair[1]);
        }
        // Letters decide before tones, even when the tone comes earlier in the word.
        before("Lê Ánh", "Lê Anhs");
    }

    #[test]
    fn vietnamese_letters_follow_the_vietnamese_alphabet() {
        before("Nguyễn Dũng", "Đặng Đức");
        before("Đặng Đức", "Lê Em");
        before("A", "Ă");
        before("Ă", "Â");
        before("Â", "B");
        before("Ô", "Ơ");
        before("Ơ", "P");
        before("U", "Ư");
        before("Ư", "V");
        before("Y", "Zô");
        before("Tú", "Tứ");
    }

    #[test]
    fn precomposed_and_decomposed_spellings_are_equal() {
        let nfc = "Nguyễn Thị Hoà";
        let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Hoa\u{300}";
        assert_eq!(name_key(nfc), name_key(nfd));
        // Marks in canonical order (dot below before breve) and partly composed letters.
        assert_eq!(name_key("Đặng"), name_key("Đa\u{323}\u{306}ng"));
        assert_eq!(name_key("Đặng"), name_key("Đạ\u{306}ng"));
        assert_eq!(name_key("Ương"), name_key("U\u{31b}o\u{31b}ng"));
        // Old and new tone placement mean the same name.
        assert_eq!(name_key("Hoà"), name_key("Hòa"));
    }

    #[test]
    fn case_and_whitespace_do_not_matter() {
        assert_eq!(name_key("  NGUYỄN   văn\tAN "), name_key("Nguyễn Văn An"));
        assert_eq!(name_key(""), name_key("   "));
    }

    #[test]
    fn other_characters_sort_after_letters() {
        before("Zz", "Ö");
        before("Ö", "Ø");
        before("Anh", "Anh-");
    }

    const SYLLABLES: [&str; 24] = [
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Đỗ", "Văn", "Thị", "Hữu", "Đức", "An",
        "Ánh", "Anh", "Bình", "Dũng", "Hoà", "Hòa", "Ngọc", "Ương", "Ưng", "Yến", "Ý", "Zin",
    ];

    fn vietnamese_name() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(&SYLLABLES[..]), 1..4).prop_map(|w| w.join(" "))
    }

    fn any_text() -> impl Strategy<Value = String> {
        let marks =
            prop::sample::select(vec!['\u{300}', '\u{301}', '\u{302}', '\u{306}', '\u{31b}']);
        prop::collection::vec(prop_oneof![any::<char>(), marks, Just(' ')], 0..24)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn ordering_is_total_and_consistent(
            a in vietnamese_name(), b in vietnamese_name(), c in vietnamese_name()
        ) {
            let (ka, kb, kc) = (name_key(&a), name_key(&b), name_key(&c));
            prop_assert_eq!(ka.cmp(&kb), kb.cmp(&ka).reverse());
            prop_assert_eq!(ka == kb, ka.cmp(&kb).is_eq());
            if ka <= kb && kb <= kc {
                prop_assert!(ka <= kc);
            }
            // The given name decides whenever the given names differ.
            let given = |n: &str| name_key(n.split_whitespace().last().unwrap_or_default());
            if given(&a) != given(&b) {
                prop_assert_eq!(ka.cmp(&kb), given(&a).cmp(&given(&b)));
            }
        }

        #[test]
        fn name_key_never_panics(text in any_text(), raw in any::<String>()) {
            let _ = name_key(&text);
            let _ = name_key(&raw);
        }
    }
}
