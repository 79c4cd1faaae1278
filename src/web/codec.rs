//! Converts between the core's serde types and plain JavaScript values (messages, stored
//! entries, parsed API bodies): the one codec the extension uses.
//!
//! It maps values as serde-wasm-bindgen's `json_compatible` serializer does, so the JSON shapes
//! that the tests and the page agent see are the usual ones: `None` and `()` are `null`; structs
//! and string-keyed maps are plain objects; enums are externally tagged, a string for a unit
//! variant and `{variant: payload}` otherwise; integers are numbers, read back only if whole and
//! in range. A struct is read from an object by the field names the type declares: absent ones
//! are left to serde's defaults, others are never read.
//!
//! serde-wasm-bindgen did this job until the module outgrew its size budget: every failure it
//! reports is formatted text (the expected type, and the unexpected value down to a float's
//! digits), and that formatting, inlined into each of the ~40 types that cross, was about a fifth
//! of the module. Every caller here discards the detail and reports the failure in its own words
//! ("a `facts` message did not have the expected shape", "a body of another shape"), so this
//! codec's error carries no text, and fields and variants are matched by position, so serde's
//! derived matchers compare no strings. (Positions are those of the name lists serde's derive
//! hands the deserializer, which line up with its field and variant numbers as long as no type
//! uses `#[serde(alias)]`; none does, and the wasm tests check every message kind both ways.)

use js_sys::{Array, Object, Reflect};
use serde::de::{self, DeserializeOwned, Deserializer as _, IntoDeserializer, Visitor};
use serde::ser::{self, Serialize};
use std::fmt;
use wasm_bindgen::{JsCast, JsValue};

/// A value did not have the shape of the type it was read as, or a value could not be written as
/// plain data (a map with keys that are not strings). Deliberately without detail: see the
/// module's documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShapeMismatch;

impl fmt::Display for ShapeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value of another shape")
    }
}

impl std::error::Error for ShapeMismatch {}

impl de::Error for ShapeMismatch {
    fn custom<T: fmt::Display>(_detail: T) -> Self {
        // The detail is never formatted, which is the point of this codec.
        ShapeMismatch
    }
}

impl ser::Error for ShapeMismatch {
    fn custom<T: fmt::Display>(_detail: T) -> Self {
        ShapeMismatch
    }
}

/// Reads `value` as a `T`.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T> {
    T::deserialize(JsDeserializer(value))
}

/// Writes `value` as a plain JavaScript value.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue> {
    value.serialize(JsSerializer)
}

type Result<T> = std::result::Result<T, ShapeMismatch>;

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A JavaScript value being read.
struct JsDeserializer(JsValue);

impl JsDeserializer {
    fn is_nullish(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }

    /// The value as a whole number, if it is one that a JavaScript number holds exactly.
    fn whole_number(&self) -> Result<f64> {
        match self.0.as_f64() {
            Some(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER => Ok(n),
            _ => Err(ShapeMismatch),
        }
    }

    /// The value as a plain object: not null, not an array, not a function.
    fn object(&self) -> Result<&Object> {
        if self.0.is_object() && !Array::is_array(&self.0) {
            Ok(self.0.unchecked_ref())
        } else {
            Err(ShapeMismatch)
        }
    }

    /// The variant an enum value names, by position among `variants` (as for fields, so that
    /// serde's derived matcher compares no strings), and its payload. Not generic, so the module
    /// has one copy for every enum.
    fn variant(self, variants: &[&str]) -> Result<Variant> {
        let (tag, payload) = if let Some(tag) = self.0.as_string() {
            (tag, JsValue::UNDEFINED)
        } else {
            let keys = Object::keys(self.object()?);
            if keys.length() != 1 {
                return Err(ShapeMismatch);
            }
            let key = keys.get(0);
            let payload = Reflect::get(&self.0, &key).map_err(|_| ShapeMismatch)?;
            (key.as_string().ok_or(ShapeMismatch)?, payload)
        };
        let index = variants
            .iter()
            .position(|variant| *variant == tag)
            .ok_or(ShapeMismatch)?;
        Ok(Variant {
            index: index as u32,
            payload,
        })
    }

    fn string(&self) -> Result<String> {
        self.0.as_string().ok_or(ShapeMismatch)
    }
}

/// Integers: whole, safe and in the target type's range (the visitor checks the range).
macro_rules! integer {
    ($($method:ident),* => signed) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            visitor.visit_i64(self.whole_number()? as i64)
        }
    )*};
    ($($method:ident),* => unsigned) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let n = self.whole_number()?;
            if n < 0.0 {
                return Err(ShapeMismatch);
            }
            visitor.visit_u64(n as u64)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for JsDeserializer {
    type Error = ShapeMismatch;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.is_nullish() {
            visitor.visit_unit()
        } else if let Some(b) = self.0.as_bool() {
            visitor.visit_bool(b)
        } else if let Ok(n) = self.whole_number() {
            visitor.visit_i64(n as i64)
        } else if let Some(n) = self.0.as_f64() {
            visitor.visit_f64(n)
        } else if let Some(s) = self.0.as_string() {
            visitor.visit_string(s)
        } else if Array::is_array(&self.0) {
            self.deserialize_seq(visitor)
        } else {
            self.deserialize_map(visitor)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_bool(self.0.as_bool().ok_or(ShapeMismatch)?)
    }

    integer!(deserialize_i8, deserialize_i16, deserialize_i32, deserialize_i64 => signed);
    integer!(deserialize_u8, deserialize_u16, deserialize_u32, deserialize_u64 => unsigned);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f64(self.0.as_f64().ok_or(ShapeMismatch)?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_string(self.string()?)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        // Nothing that crosses is binary.
        Err(ShapeMismatch)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(ShapeMismatch)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.is_nullish() {
            visitor.visit_unit()
        } else {
            Err(ShapeMismatch)
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if !Array::is_array(&self.0) {
            return Err(ShapeMismatch);
        }
        let items: Array = self.0.unchecked_into();
        visitor.visit_seq(Items {
            len: items.length(),
            items,
            next: 0,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let entries = Object::entries(self.object()?);
        visitor.visit_map(Entries {
            len: entries.length(),
            entries,
            next: 0,
            value: JsValue::UNDEFINED,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.object()?; // a plain object, or no struct at all
        let object = self.0.unchecked_into();
        visitor.visit_map(Fields {
            object,
            fields,
            next: 0,
            value: JsValue::UNDEFINED,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(self.variant(variants)?)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }
}

/// An array's items, in order.
struct Items {
    items: Array,
    len: u32,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = ShapeMismatch;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>> {
        if self.next >= self.len {
            return Ok(None);
        }
        let item = self.items.get(self.next);
        self.next += 1;
        seed.deserialize(JsDeserializer(item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.len - self.next) as usize)
    }
}

/// An object's own entries, for map types.
struct Entries {
    entries: Array,
    len: u32,
    next: u32,
    value: JsValue,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = ShapeMismatch;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.next >= self.len {
            return Ok(None);
        }
        let entry: Array = self.entries.get(self.next).unchecked_into();
        self.next += 1;
        self.value = entry.get(1);
        seed.deserialize(JsDeserializer(entry.get(0))).map(Some)
    }

    fn next_value_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value> {
        seed.deserialize(JsDeserializer(std::mem::take(&mut self.value)))
    }
}

/// A struct's fields, read from the object by the names the type declares, so fields the type
/// does not have are never read, and absent ones are left to serde (`None`, defaults, or an error).
struct Fields {
    object: Object,
    fields: &'static [&'static str],
    next: usize,
    value: JsValue,
}

impl Fields {
    /// Moves to the next field the object has, and gives its position among the type's fields:
    /// by position, not name, serde's derived field matcher compares no strings.
    fn next_present(&mut self) -> Result<Option<u64>> {
        while let Some(&field) = self.fields.get(self.next) {
            self.next += 1;
            let value =
                Reflect::get(&self.object, &JsValue::from_str(field)).map_err(|_| ShapeMismatch)?;
            if !value.is_undefined() {
                self.value = value;
                return Ok(Some((self.next - 1) as u64));
            }
        }
        Ok(None)
    }
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = ShapeMismatch;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        match self.next_present()? {
            Some(index) => seed.deserialize(index.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value> {
        seed.deserialize(JsDeserializer(std::mem::take(&mut self.value)))
    }
}

/// An enum's variant: its position, and its payload (`undefined` for a unit variant given as a
/// string).
struct Variant {
    index: u32,
    payload: JsValue,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = ShapeMismatch;
    type Variant = JsDeserializer;

    fn variant_seed<T: de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant)> {
        let tag = seed.deserialize(self.index.into_deserializer())?;
        Ok((tag, JsDeserializer(self.payload)))
    }
}

impl<'de> de::VariantAccess<'de> for JsDeserializer {
    type Error = ShapeMismatch;

    fn unit_variant(self) -> Result<()> {
        self.deserialize_unit(de::IgnoredAny).map(|_| ())
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_struct("", fields, visitor)
    }
}

// --- writing ---------------------------------------------------------------------------------

/// Writes one value.
struct JsSerializer;

/// `{variant: payload}`, an externally tagged enum value.
fn tagged(variant: &str, payload: &JsValue) -> Result<JsValue> {
    let object = Object::new();
    set(&object, &JsValue::from_str(variant), payload)?;
    Ok(object.into())
}

fn set(object: &Object, key: &JsValue, value: &JsValue) -> Result<()> {
    Reflect::set(object, key, value)
        .map(|_| ())
        .map_err(|_| ShapeMismatch)
}

/// Numbers a JavaScript number holds exactly, written as one.
macro_rules! number {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, v: $type) -> Result<JsValue> {
            self.serialize_f64(v.into())
        }
    )*};
}

impl ser::Serializer for JsSerializer {
    type Ok = JsValue;
    type Error = ShapeMismatch;
    type SerializeSeq = ArrayWriter;
    type SerializeTuple = ArrayWriter;
    type SerializeTupleStruct = ArrayWriter;
    type SerializeTupleVariant = VariantWriter<ArrayWriter>;
    type SerializeMap = MapWriter;
    type SerializeStruct = ObjectWriter;
    type SerializeStructVariant = VariantWriter<ObjectWriter>;

    fn serialize_bool(self, v: bool) -> Result<JsValue> {
        Ok(JsValue::from_bool(v))
    }

    number!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_u8: u8);
    number!(serialize_u16: u16, serialize_u32: u32, serialize_f32: f32);

    fn serialize_i64(self, v: i64) -> Result<JsValue> {
        // Beyond 2^53 a JavaScript number would silently round; refuse, as serde-wasm-bindgen does.
        match v.unsigned_abs() as f64 <= MAX_SAFE_INTEGER {
            true => self.serialize_f64(v as f64),
            false => Err(ShapeMismatch),
        }
    }

    fn serialize_u64(self, v: u64) -> Result<JsValue> {
        match v as f64 <= MAX_SAFE_INTEGER {
            true => self.serialize_f64(v as f64),
            false => Err(ShapeMismatch),
        }
    }

    fn serialize_f64(self, v: f64) -> Result<JsValue> {
        Ok(JsValue::from_f64(v))
    }

    fn serialize_char(self, v: char) -> Result<JsValue> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<JsValue> {
        Ok(JsValue::from_str(v))
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<JsValue> {
        // Nothing that crosses is binary.
        Err(ShapeMismatch)
    }

    fn serialize_none(self) -> Result<JsValue> {
        Ok(JsValue::NULL)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<JsValue> {
        Ok(JsValue::NULL)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<JsValue> {
        Ok(JsValue::NULL)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<JsValue> {
        Ok(JsValue::from_str(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<JsValue> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<JsValue> {
        tagged(variant, &value.serialize(self)?)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<ArrayWriter> {
        Ok(ArrayWriter(Array::new()))
    }

    fn serialize_tuple(self, len: usize) -> Result<ArrayWriter> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<ArrayWriter> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantWriter<ArrayWriter>> {
        Ok(VariantWriter {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<MapWriter> {
        Ok(MapWriter {
            object: Object::new(),
            key: JsValue::UNDEFINED,
        })
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<ObjectWriter> {
        Ok(ObjectWriter(Object::new()))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantWriter<ObjectWriter>> {
        Ok(VariantWriter {
            variant,
            inner: ObjectWriter(Object::new()),
        })
    }
}

/// An array being written.
struct ArrayWriter(Array);

/// serde's three sequence traits, which differ only in their method's name.
macro_rules! array_writer {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for ArrayWriter {
            type Ok = JsValue;
            type Error = ShapeMismatch;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.0.push(&value.serialize(JsSerializer)?);
                Ok(())
            }

            fn end(self) -> Result<JsValue> {
                Ok(self.0.into())
            }
        }
    )*};
}

array_writer!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

/// A string-keyed map being written as an object.
struct MapWriter {
    object: Object,
    key: JsValue,
}

impl ser::SerializeMap for MapWriter {
    type Ok = JsValue;
    type Error = ShapeMismatch;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        let key = key.serialize(JsSerializer)?;
        if !key.is_string() {
            return Err(ShapeMismatch);
        }
        self.key = key;
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        set(&self.object, &self.key, &value.serialize(JsSerializer)?)
    }

    fn end(self) -> Result<JsValue> {
        Ok(self.object.into())
    }
}

/// A struct being written as an object; skipped fields are left out.
struct ObjectWriter(Object);

impl ser::SerializeStruct for ObjectWriter {
    type Ok = JsValue;
    type Error = ShapeMismatch;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        set(
            &self.0,
            &JsValue::from_str(key),
            &value.serialize(JsSerializer)?,
        )
    }

    fn end(self) -> Result<JsValue> {
        Ok(self.0.into())
    }
}

/// A tuple or struct variant being written: its payload, then `{variant: payload}`.
struct VariantWriter<W> {
    variant: &'static str,
    inner: W,
}

impl ser::SerializeTupleVariant for VariantWriter<ArrayWriter> {
    type Ok = JsValue;
    type Error = ShapeMismatch;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }

    fn end(self) -> Result<JsValue> {
        tagged(self.variant, &self.inner.0)
    }
}

impl ser::SerializeStructVariant for VariantWriter<ObjectWriter> {
    type Ok = JsValue;
    type Error = ShapeMismatch;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }

    fn end(self) -> Result<JsValue> {
        tagged(self.variant, &self.inner.0)
    }
}
