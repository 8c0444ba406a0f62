//! stub
pub fn to_yaml(value: &serde_json::Value) -> String { let mut s = String::new(); write_yaml(&mut s, value); s }
pub fn write_yaml(out: &mut String, value: &serde_json::Value) { out.push_str(&value.to_string()); out.push('\n'); }
