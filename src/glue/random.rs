//! Randomness for ids and the `{{$uuid}}` and `{{$randomInt}}` variables (not for secrets).

pub fn u32() -> u32 {
    (js_sys::Math::random() * 4_294_967_296.0) as u32
}
