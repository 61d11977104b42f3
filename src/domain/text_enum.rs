//! Domain values with a fixed set of names, stored in a `text` column: statuses, modes, roles,
//! kinds. [`text_enum!`] declares one and gives it, from a single list of names, everything the
//! layers need: the list of all values, the stored name, parsing with a clear refusal, display,
//! JSON, and reading and writing through sqlx.

/// A name that is none of a domain value's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {name:?}: use {choices}")]
pub struct UnknownName {
    /// What was being named, e.g. "role".
    pub what: &'static str,
    /// The name as given.
    pub name: String,
    /// The names that are known, as a sentence: "a, b or c".
    pub choices: String,
}

impl UnknownName {
    /// The refusal of `name` for a `what` whose names are `names`.
    pub fn new(what: &'static str, name: &str, names: &[&str]) -> UnknownName {
        let choices = match names {
            [] => String::new(),
            [only] => (*only).to_string(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        };
        UnknownName {
            what,
            name: name.to_string(),
            choices,
        }
    }
}

/// Declares an enum whose variants are stored as the given names:
///
/// ```ignore
/// text_enum! {
///     /// Where a shift stands.
///     pub enum ShiftStatus("shift status") {
///         Planned = "planned",
///         Cancelled = "cancelled",
///     }
/// }
/// ```
///
/// The enum gets `ALL` (in the order written), `as_str`, `FromStr` refusing other names with
/// [`UnknownName`], `Display`, `Serialize` as the name, and sqlx `Type`, `Encode` and `Decode` as
/// PostgreSQL `text` ([`stored_as_text!`]).
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $stored:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in the order they are offered.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The name stored in the database and typed in files and on the command line.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $stored),+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::text_enum::UnknownName;

            fn from_str(name: &str) -> Result<Self, Self::Err> {
                match name {
                    $($stored => Ok($name::$variant),)+
                    _ => Err($crate::domain::text_enum::UnknownName::new(
                        $what,
                        name,
                        &[$($stored),+],
                    )),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        $crate::stored_as_text!($name);
    };
}

/// Reads and writes a domain value as PostgreSQL `text` (arrays too) through its `as_str` and its
/// `FromStr`: a stored name that does not parse fails the read rather than guessing. Every
/// [`text_enum!`] gets it; so may a value whose names are data (`domain::agency::AgencyCode`).
#[macro_export]
macro_rules! stored_as_text {
    ($name:ty) => {
        impl ::sqlx::Type<::sqlx::Postgres> for $name {
            fn type_info() -> ::sqlx::postgres::PgTypeInfo {
                <&str as ::sqlx::Type<::sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &::sqlx::postgres::PgTypeInfo) -> bool {
                <&str as ::sqlx::Type<::sqlx::Postgres>>::compatible(ty)
            }
        }

        impl ::sqlx::postgres::PgHasArrayType for $name {
            fn array_type_info() -> ::sqlx::postgres::PgTypeInfo {
                <&str as ::sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }

        impl<'q> ::sqlx::Encode<'q, ::sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut ::sqlx::postgres::PgArgumentBuffer,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&str as ::sqlx::Encode<'q, ::sqlx::Postgres>>::encode(self.as_str(), buf)
            }
        }

        impl<'r> ::sqlx::Decode<'r, ::sqlx::Postgres> for $name {
            fn decode(
                value: ::sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, ::sqlx::error::BoxDynError> {
                let name = <&str as ::sqlx::Decode<'r, ::sqlx::Postgres>>::decode(value)?;
                Ok(name.parse::<$name>()?)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::UnknownName;

    crate::text_enum! {
        /// A value for the tests.
        enum Colour("colour") {
            Red = "red",
            Dark = "dark_blue",
            Green = "green",
        }
    }

    #[test]
    fn every_value_reads_back_from_its_name() {
        for colour in Colour::ALL {
            assert_eq!(colour.as_str().parse::<Colour>(), Ok(colour));
            assert_eq!(colour.to_string(), colour.as_str());
        }
        assert_eq!(Colour::ALL.len(), 3);
    }

    #[test]
    fn other_names_are_refused_with_the_choices() {
        let refused = "Red".parse::<Colour>().unwrap_err();
        assert_eq!(
            refused.to_string(),
            r#"unknown colour "Red": use red, dark_blue or green"#
        );
        assert_eq!(UnknownName::new("x", "y", &["a"]).choices, "a");
    }

    #[test]
    fn json_carries_the_stored_name() {
        assert_eq!(serde_json::to_value(Colour::Dark).unwrap(), "dark_blue");
    }
}
