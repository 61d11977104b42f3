crate::text_enum! {
    /// What a signed-in user may do. Each role from viewer on reads and exports what the roles
    /// before it may (an officer sees only their own shifts and the now board), but
    /// rosters are changed by supervisors and admins only ([`Role::edits_rosters`]). Stored in
    /// `users.role` and typed on the command line by its name.
    pub enum Role("role") {
        /// A peace officer: sees their own shifts (`/me`) and the now board, logs their visits.
        Officer = "officer",
        /// Task-force staff: read every page.
        Viewer = "viewer",
        /// Also edits rosters, visits and activities, and exports.
        Supervisor = "supervisor",
        /// Also imports and edits hotspots and districts.
        Analyst = "analyst",
        /// Everything, including accounts.
        Admin = "admin",
    }
}

impl Role {
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
        assert!(Role::Viewer.includes(Role::Officer));
        assert!(!Role::Officer.includes(Role::Viewer));
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
