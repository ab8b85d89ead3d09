//! The canonical form of a published result: the exact bytes its SHA-256 digest covers, so
//! that anyone holding an export can check it was not altered. JSON in UTF-8 with object
//! keys sorted by their bytes, no whitespace between tokens, numbers as integers (marks in
//! hundredths, points in tenths), strings escaped as serde_json escapes them.

use serde::Serialize;
use serde_json::Value;

/// The canonical text of any serialisable value.
pub fn canonical<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    text(&serde_json::to_value(value)?)
}

/// Re-serialises any JSON text canonically (to check an export whose whitespace or key
/// order was changed by a tool).
pub fn recanonicalise(text: &str) -> Result<String, serde_json::Error> {
    self::text(&serde_json::from_str(text)?)
}

fn text(value: &Value) -> Result<String, serde_json::Error> {
    // Written as bytes straight into one buffer: a published round of a million candidates
    // has tens of millions of keys and values.
    let mut out = Vec::with_capacity(1 << 16);
    write(value, &mut out)?;
    String::from_utf8(out).map_err(serde::ser::Error::custom)
}

fn write(value: &Value, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
    match value {
        Value::Object(map) => {
            // Sorted here, whatever order the map keeps (serde_json may preserve insertion
            // order when another crate enables that feature).
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, key)?;
                out.push(b':');
                write(&map[key], out)?;
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out)?;
            }
            out.push(b']');
        }
        other => serde_json::to_writer(&mut *out, other)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_and_nothing_else_changes() {
        let value = json!({"zeta": [3, {"b": "Nguyễn", "a": null}], "alpha": true, "mid": 7600});
        assert_eq!(
            canonical(&value).unwrap(),
            r#"{"alpha":true,"mid":7600,"zeta":[3,{"a":null,"b":"Nguyễn"}]}"#
        );
    }

    #[test]
    fn reformatted_exports_canonicalise_back_to_the_same_bytes() {
        let value = json!({"b": {"y": 1, "x": "a\"b"}, "a": [1, 2]});
        let text = canonical(&value).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        assert_ne!(pretty, text);
        assert_eq!(recanonicalise(&pretty).unwrap(), text);
    }
}
