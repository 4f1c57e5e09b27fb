//! The client crate's version change against the bump its changes need, in Cargo's terms:
//! for `0.x` versions, `0.x` → `0.(x+1)` is the breaking bump and `0.x.y` → `0.x.(y+1)` takes
//! additions and fixes alike; for `0.0.z` every release is breaking.

use semver::Version;

use super::rules::Bump;

/// The client crate's version in the old and in the new tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrateVersions {
    pub old: Version,
    pub new: Version,
}

impl CrateVersions {
    /// Parses two version strings; the error names the bad one.
    pub fn parse(old: &str, new: &str) -> Result<Self, String> {
        let parse = |text: &str| {
            Version::parse(text.trim())
                .map_err(|e| format!("`{text}` is not a semver version: {e}"))
        };
        Ok(CrateVersions {
            old: parse(old)?,
            new: parse(new)?,
        })
    }

    /// The largest bump the version change makes room for.
    pub fn allowed_bump(&self) -> Bump {
        let (old, new) = (&self.old, &self.new);
        if new <= old {
            return Bump::None;
        }
        match (old.major, old.minor) {
            (0, 0) => Bump::Major,
            (0, _) if new.major > 0 || new.minor > old.minor => Bump::Major,
            (0, _) => Bump::Minor,
            _ if new.major > old.major => Bump::Major,
            _ if new.minor > old.minor => Bump::Minor,
            _ => Bump::Patch,
        }
    }

    /// The smallest version after the old one that makes room for `bump`.
    pub fn required_version(&self, bump: Bump) -> Version {
        let old = &self.old;
        let (major, minor, patch) = match (bump, old.major, old.minor) {
            (Bump::None, ..) => (old.major, old.minor, old.patch),
            (_, 0, 0) | (Bump::Patch, ..) => (old.major, old.minor, old.patch + 1),
            (Bump::Major, 0, _) => (0, old.minor + 1, 0),
            (Bump::Major, ..) => (old.major + 1, 0, 0),
            (Bump::Minor, 0, _) => (0, old.minor, old.patch + 1),
            (Bump::Minor, ..) => (old.major, old.minor + 1, 0),
        };
        Version::new(major, minor, patch)
    }

    /// Whether the new version makes room for `bump`.
    pub fn allows(&self, bump: Bump) -> bool {
        bump <= self.allowed_bump()
    }
}

/// How a bump reads for this crate's version line: "breaking", "compatible", "none".
pub fn bump_word(bump: Bump) -> &'static str {
    match bump {
        Bump::Major => "breaking",
        Bump::Minor => "minor",
        Bump::Patch => "patch",
        Bump::None => "none",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(old: &str, new: &str) -> CrateVersions {
        CrateVersions::parse(old, new).unwrap()
    }

    #[test]
    fn zero_minor_is_the_breaking_bump() {
        assert_eq!(versions("0.1.0", "0.2.0").allowed_bump(), Bump::Major);
        assert_eq!(versions("0.1.0", "0.1.1").allowed_bump(), Bump::Minor);
        assert_eq!(versions("0.1.0", "0.1.0").allowed_bump(), Bump::None);
        assert_eq!(
            versions("0.1.0", "0.1.0")
                .required_version(Bump::Major)
                .to_string(),
            "0.2.0"
        );
        assert_eq!(
            versions("0.1.3", "0.1.3")
                .required_version(Bump::Minor)
                .to_string(),
            "0.1.4"
        );
    }

    #[test]
    fn one_and_later_follow_major_minor_patch() {
        assert_eq!(versions("1.2.3", "2.0.0").allowed_bump(), Bump::Major);
        assert_eq!(versions("1.2.3", "1.3.0").allowed_bump(), Bump::Minor);
        assert_eq!(versions("1.2.3", "1.2.4").allowed_bump(), Bump::Patch);
        assert_eq!(
            versions("1.2.3", "1.2.3")
                .required_version(Bump::Major)
                .to_string(),
            "2.0.0"
        );
        assert_eq!(
            versions("1.2.3", "1.2.3")
                .required_version(Bump::Minor)
                .to_string(),
            "1.3.0"
        );
    }

    #[test]
    fn zero_zero_releases_are_all_breaking() {
        assert_eq!(versions("0.0.1", "0.0.2").allowed_bump(), Bump::Major);
        assert_eq!(
            versions("0.0.1", "0.0.1")
                .required_version(Bump::Minor)
                .to_string(),
            "0.0.2"
        );
    }

    #[test]
    fn a_bad_version_names_itself() {
        let error = CrateVersions::parse("0.1", "0.1.0").unwrap_err();
        assert!(error.contains("`0.1`"), "{error}");
    }
}
