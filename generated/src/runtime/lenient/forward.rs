//! Macros for the visitor methods a wrapper hands on to the visitor it wraps.

/// Implements the visitor methods a wrapper does not change by handing them to `$inner`.
macro_rules! forward_visits {
    ($inner:ident; $($method:ident($($ty:ty)?)),* $(,)?) => {
        $(forward_visits!(@one $inner $method $($ty)?);)*
    };
    (@one $inner:ident $method:ident $ty:ty) => {
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.$inner.$method(v)
        }
    };
    (@one $inner:ident $method:ident) => {
        fn $method<E: de::Error>(self) -> Result<Self::Value, E> {
            self.$inner.$method()
        }
    };
}

/// The compound visits (`seq`, `map`, `some`, ...) a wrapper hands on unchanged.
macro_rules! forward_compound {
    ($inner:ident) => {
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            self.$inner.visit_some(d)
        }

        fn visit_newtype_struct<D2: Deserializer<'de>>(
            self,
            d: D2,
        ) -> Result<Self::Value, D2::Error> {
            self.$inner.visit_newtype_struct(d)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            self.$inner.visit_seq(seq)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            self.$inner.visit_map(map)
        }

        fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
            self.$inner.visit_enum(data)
        }
    };
}
