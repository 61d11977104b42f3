//! Password hashing with argon2id.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// The shortest password accepted for an account.
pub const MIN_PASSWORD_LEN: usize = 12;

/// The longest password accepted, in bytes: signing in refuses longer ones unchecked, so an
/// account given one could never sign in.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Why a password was refused.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("a password needs at least {MIN_PASSWORD_LEN} characters")]
    TooShort,
    #[error("a password may be at most {MAX_PASSWORD_BYTES} bytes long")]
    TooLong,
    #[error("the password could not be hashed")]
    Hash,
}

/// Whether `password` may be given to an account: the rules, checked before any hashing.
pub fn check(password: &str) -> Result<(), PasswordError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        Err(PasswordError::TooShort)
    } else if password.len() > MAX_PASSWORD_BYTES {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

/// Hashes a new password (argon2id, default parameters, random salt) in PHC string form.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    hash_in(password, &mut Scratch::default())
}

/// [`hash`], with `scratch` as the hash's working memory (see [`Scratch`]).
pub fn hash_in(password: &str, scratch: &mut Scratch) -> Result<String, PasswordError> {
    check(password)?;
    let params = Params::default();
    let (algorithm, version) = (Algorithm::Argon2id, Version::V0x13);
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|_| PasswordError::Hash)?;
    let argon2 = Argon2::new(algorithm, version, params.clone());
    scratch.fit(&params);
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        Ok(argon2.hash_password_into_with_memory(
            password.as_bytes(),
            raw_salt,
            out,
            &mut scratch.0,
        )?)
    })
    .map_err(|_| PasswordError::Hash)?;
    let phc = PasswordHash {
        algorithm: algorithm.ident(),
        version: Some(version.into()),
        params: ParamsString::try_from(&params).map_err(|_| PasswordError::Hash)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches `phc_hash`. A malformed hash never matches.
pub fn verify(password: &str, phc_hash: &str) -> bool {
    verify_in(password, phc_hash, &mut Scratch::default())
}

/// Working memory for checking passwords, kept from one check to the next. A check needs about
/// 19 MiB; freed, that memory is not reliably given back to the system (the allocator keeps it
/// in per-thread arenas), so a server that allocated it for every attempt would grow with every
/// thread that ever checked one.
#[derive(Default)]
pub struct Scratch(Vec<Block>);

impl Scratch {
    /// Grows the memory to what a hash with `params` asks for.
    fn fit(&mut self, params: &Params) {
        if self.0.len() < params.block_count() {
            self.0.resize(params.block_count(), Block::default());
        }
    }
}

/// [`verify`], with `scratch` as the hash's working memory (grown to the size the hash asks for).
pub fn verify_in(password: &str, phc_hash: &str, scratch: &mut Scratch) -> bool {
    let Ok(parsed) = PasswordHash::new(phc_hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let (Ok(algorithm), Ok(version), Ok(params), Ok(salt)) = (
        Algorithm::try_from(parsed.algorithm),
        parsed
            .version
            .map_or(Ok(Version::default()), Version::try_from),
        Params::try_from(&parsed),
        salt.decode_b64(&mut salt_bytes),
    ) else {
        return false;
    };
    scratch.fit(&params);
    let mut computed = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut computed, &mut scratch.0)
        .is_ok()
        // Output compares in constant time.
        && Output::new(&computed).is_ok_and(|computed| computed == expected)
}

/// A hash of no real password, verified against when the username is unknown, so that an unknown
/// user and a wrong password take the same time to refuse.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy password that matches nothing").unwrap_or_default())
}

/// A random password for a generated account: 20 characters from an unambiguous alphabet.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source is available");
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordHasher;

    #[test]
    fn a_hashed_password_verifies_and_another_does_not() {
        let hashed = hash("correct horse battery").unwrap();
        assert!(hashed.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &hashed));
        assert!(!verify("correct horse battery!", &hashed));
    }

    #[test]
    fn checks_sharing_working_memory_give_the_same_answers() {
        let first = hash("correct horse battery").unwrap();
        let second = hash("another long password").unwrap();
        let mut scratch = Scratch::default();
        for _ in 0..2 {
            assert!(verify_in("correct horse battery", &first, &mut scratch));
            assert!(!verify_in("another long password", &first, &mut scratch));
            assert!(verify_in("another long password", &second, &mut scratch));
            assert!(!verify_in("anything", "not a hash", &mut scratch));
        }
    }

    #[test]
    fn a_hash_with_other_parameters_is_checked_with_its_own() {
        let params = Params::new(8 * 1024, 1, 2, None).unwrap();
        let salt = SaltString::generate(&mut OsRng);
        let small = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        let mut scratch = Scratch::default();
        assert!(verify_in("correct horse battery", &small, &mut scratch));
        assert!(!verify_in("correct horse battery!", &small, &mut scratch));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(matches!(hash("short"), Err(PasswordError::TooShort)));
        assert!(matches!(check("elevenchars"), Err(PasswordError::TooShort)));
        assert!(check("twelve chars").is_ok());
    }

    #[test]
    fn passwords_longer_than_a_sign_in_takes_are_refused() {
        assert!(check(&"a".repeat(MAX_PASSWORD_BYTES)).is_ok());
        assert!(matches!(
            check(&"a".repeat(MAX_PASSWORD_BYTES + 1)),
            Err(PasswordError::TooLong)
        ));
    }

    #[test]
    fn hashes_made_in_shared_memory_verify_and_differ_by_salt() {
        let mut scratch = Scratch::default();
        let first = hash_in("correct horse battery", &mut scratch).unwrap();
        let second = hash_in("correct horse battery", &mut scratch).unwrap();
        assert_ne!(first, second, "each hash has its own salt");
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        for hashed in [&first, &second] {
            assert!(verify_in("correct horse battery", hashed, &mut scratch));
            assert!(!verify_in("correct horse battery!", hashed, &mut scratch));
        }
    }

    #[test]
    fn a_malformed_hash_never_matches() {
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
        assert!(hash(&a).is_ok());
    }
}
