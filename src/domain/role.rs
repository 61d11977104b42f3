use std::fmt;
use std::str::FromStr;

/// What a signed-in user may do. Each role reads and exports what the roles before it may, but
/// rosters are changed by supervisors and admins only ([`Role::edits_rosters`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Task-force staff: read every page.
    Viewer,
    /// Also edits rosters, visits and activities, and exports.
    Supervisor,
    /// Also imports and edits hotspots and districts.
    Analyst,
    /// Everything, including accounts.
    Admin,
}

impl Role {
    /// All roles, from least to most privileged.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Supervisor, Role::Analyst, Role::Admin];

    /// The name stored in `users.role` and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Supervisor => "supervisor",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// Whether this role may change rosters, visits and activities: supervisors and admins, not
    /// analysts, who maintain hotspots and data instead.
    pub fn edits_rosters(self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }

    /// Whether this role may do what `required` may do.
    pub fn includes(self, required: Role) -> bool {
        self >= required
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of viewer, supervisor, analyst, admin.
#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}: use viewer, supervisor, analyst or admin")]
pub struct UnknownRole(String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_their_own_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn admin_includes_every_role_and_viewer_only_itself() {
        assert!(Role::ALL.iter().all(|r| Role::Admin.includes(*r)));
        assert!(Role::Viewer.includes(Role::Viewer));
        assert!(!Role::Viewer.includes(Role::Supervisor));
        assert!(!Role::Supervisor.includes(Role::Analyst));
    }

    #[test]
    fn only_supervisors_and_admins_edit_rosters() {
        let editors: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.edits_rosters())
            .collect();
        assert_eq!(editors, [Role::Supervisor, Role::Admin]);
    }
}
