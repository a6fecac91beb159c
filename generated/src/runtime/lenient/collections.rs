//! Lists and maps: each item (or map value) read as the item shape.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

use crate::runtime::buffer::Content;
use crate::runtime::shape::Shape;

use super::{Lenient, Reading, Seed};

/// A list's items or a map's values, each read as the item shape (a map's keys as they
/// are): the visitor wrapper and, once the input is reached, the access wrapper.
pub(super) struct Each<'d, X> {
    pub(super) inner: X,
    pub(super) item: &'static Shape,
    pub(super) how: Reading<'d>,
}

impl<'d, X> Each<'d, X> {
    fn around<Y>(&self, inner: Y) -> Each<'d, Y> {
        Each {
            inner,
            item: self.item,
            how: self.how,
        }
    }

    fn seed<S>(&self, seed: S) -> Seed<'d, S> {
        Seed {
            seed,
            shape: self.item,
            how: self.how,
        }
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Each<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let items = self.around(seq);
        self.inner.visit_seq(items)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let entries = self.around(map);
        self.inner.visit_map(entries)
    }

    forward_visits! { inner;
        visit_bool(bool), visit_i64(i64), visit_u64(u64), visit_f64(f64), visit_str(&str),
        visit_string(String), visit_none(), visit_unit(),
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Each<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        if self.how.request && matches!(self.item, Shape::EntryId) {
            return self.next_id(seed);
        }
        let seed = self.seed(seed);
        self.inner.next_element_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: SeqAccess<'de>> Each<'_, A> {
    /// The next id of a requested id list: values that are neither numbers nor text are
    /// skipped, as DocSpace's `GetIds` skips them silently (reference §2a). Community
    /// Server's binding never sees them: its values are all text.
    fn next_id<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        while let Some(item) = self.inner.next_element::<Content>()? {
            if matches!(
                item,
                Content::I64(_) | Content::U64(_) | Content::F64(_) | Content::Str(_)
            ) {
                let value = IntoDeserializer::<A::Error>::into_deserializer(item);
                return seed
                    .deserialize(Lenient::new(value, self.item, self.how))
                    .map(Some);
            }
        }
        Ok(None)
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Each<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.inner.next_key_seed(seed)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let seed = self.seed(seed);
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}
