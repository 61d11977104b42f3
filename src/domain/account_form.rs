//! The account forms as typed, checked field by field: adding an account, changing its role and
//! whether it is active, an administrator setting its password, and a user changing their own.
//! Each form becomes a value that cannot hold a bad account, or every field's problem. Also the
//! rule that some active administrator always remains.

use serde::Deserialize;

use super::field_errors::{FieldErrors, sentence};
use super::ids::{OfficerId, UserId};
use super::password;
use super::{Role, Username};

/// The longest display name, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 100;

/// The sentence for a change refused by [`leaves_an_admin`].
pub const LAST_ADMIN: &str = "This is the last active administrator account, so it must stay an \
     active admin. Make another account an active admin first.";

/// The "add an account" form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewAccountForm {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password: String,
    /// For role officer: the officer's id, as in the address of their page.
    pub officer: String,
}

/// An account that may be created, with the password that passed the rules (still to be hashed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub username: Username,
    /// The name shown for the account; the username when none was typed.
    pub display_name: String,
    pub role: Role,
    pub password: String,
    /// The officer an account of role officer belongs to; none for the other roles.
    pub officer_id: Option<OfficerId>,
}

impl NewAccount {
    /// Checks every field of `form`; each problem is reported beside its field.
    pub fn parse(form: &NewAccountForm) -> Result<NewAccount, FieldErrors> {
        let mut errors = FieldErrors::new();
        let username = Username::parse(&form.username)
            .map_err(|e| errors.add("username", sentence(e)))
            .ok();
        let display_name = form.display_name.trim();
        if display_name.chars().count() > MAX_DISPLAY_NAME_CHARS {
            errors.add(
                "display_name",
                format!("A name may be at most {MAX_DISPLAY_NAME_CHARS} characters long."),
            );
        }
        let role = parse_role(&mut errors, &form.role);
        let officer_id = parse_officer(&mut errors, role, &form.officer);
        check_password(&mut errors, "password", &form.password);
        errors.into_result(|| {
            let username = username?;
            let display_name = match display_name {
                "" => username.to_string(),
                name => name.to_string(),
            };
            Some(NewAccount {
                username,
                display_name,
                role: role?,
                password: form.password.clone(),
                officer_id: officer_id?,
            })
        })
    }
}

/// A row of the accounts page as typed: `role`, and `active` as `true` or `false`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AccessForm {
    pub role: String,
    pub active: String,
}

/// What an account may do: its role, and whether it may sign in at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub role: Role,
    pub active: bool,
}

impl Access {
    /// Checks both fields of `form`.
    pub fn parse(form: &AccessForm) -> Result<Access, FieldErrors> {
        let mut errors = FieldErrors::new();
        let role = parse_role(&mut errors, &form.role);
        let active = match form.active.trim() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                errors.add("active", "Choose whether the account is active.");
                None
            }
        };
        errors.into_result(|| {
            Some(Access {
                role: role?,
                active: active?,
            })
        })
    }

    /// Whether an account with this access is an active administrator.
    pub fn is_active_admin(self) -> bool {
        self.active && self.role == Role::Admin
    }
}

/// Whether giving `change` to account `target` leaves at least one active administrator, when
/// `active_admins` are the ids of the active administrators now.
pub fn leaves_an_admin(active_admins: &[UserId], target: UserId, change: Access) -> bool {
    change.is_active_admin()
        || !active_admins.contains(&target)
        || active_admins.iter().any(|id| *id != target)
}

/// An administrator's "set password" form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SetPasswordForm {
    pub password: String,
}

impl SetPasswordForm {
    /// The password, if it passes the rules.
    pub fn parse(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        check_password(&mut errors, "password", &self.password);
        errors.into_result(|| Some(self.password.clone()))
    }
}

/// The "change your password" form as typed; `next` is where to go after it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PasswordChangeForm {
    pub current_password: String,
    pub new_password: String,
    pub confirm_password: String,
    pub next: String,
}

/// A change of one's own password that may be tried: the current password is still to be
/// checked against the stored hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

impl PasswordChangeForm {
    /// Checks the fields that need no stored data.
    pub fn parse(&self) -> Result<PasswordChange, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.current_password.is_empty() {
            errors.add("current_password", "Enter your current password.");
        }
        check_password(&mut errors, "new_password", &self.new_password);
        if !self.current_password.is_empty() && self.new_password == self.current_password {
            errors.add(
                "new_password",
                "Choose a new password, not the current one.",
            );
        }
        if self.confirm_password != self.new_password {
            errors.add(
                "confirm_password",
                "This is not the same as the new password. Type it again.",
            );
        }
        errors.into_result(|| {
            Some(PasswordChange {
                current: self.current_password.clone(),
                new: self.new_password.clone(),
            })
        })
    }
}

/// The officer of a new account: required for role officer (a positive whole number), empty for
/// the others. `None` when refused; `Some(None)` for no officer.
fn parse_officer(
    errors: &mut FieldErrors,
    role: Option<Role>,
    raw: &str,
) -> Option<Option<OfficerId>> {
    let text = raw.trim();
    let id = match text.parse::<i64>() {
        Ok(id) if id > 0 => Some(OfficerId(id)),
        _ if text.is_empty() => None,
        _ => {
            errors.add(
                "officer",
                format!("{text:?} is not an officer's number: give the number in the address of their page, such as 17 in /pilots/calgary-2023/officers/17."),
            );
            return None;
        }
    };
    match (role, id) {
        (Some(Role::Officer), None) => {
            errors.add(
                "officer",
                "An officer's account belongs to an officer: give the officer's number, from the address of their page.",
            );
            None
        }
        (Some(role), Some(_)) if role != Role::Officer => {
            errors.add(
                "officer",
                "Only an account of role officer belongs to an officer: leave this empty, or choose the role officer.",
            );
            None
        }
        _ => Some(id),
    }
}

fn parse_role(errors: &mut FieldErrors, raw: &str) -> Option<Role> {
    raw.trim()
        .parse()
        .map_err(|_| {
            errors.add(
                "role",
                "Choose a role: officer, viewer, supervisor, analyst or admin.",
            )
        })
        .ok()
}

fn check_password(errors: &mut FieldErrors, field: &'static str, password: &str) {
    if let Err(e) = password::check(password) {
        errors.add(field, sentence(e));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_account(username: &str, role: &str, password: &str) -> NewAccountForm {
        NewAccountForm {
            username: username.into(),
            display_name: String::new(),
            role: role.into(),
            password: password.into(),
            officer: String::new(),
        }
    }

    #[test]
    fn an_officer_account_needs_an_officer_and_no_other_account_takes_one() {
        let mut form = new_account("pc.smith", "officer", "long enough pw");
        let errors = NewAccount::parse(&form).unwrap_err();
        assert!(
            errors
                .get("officer")
                .unwrap()
                .contains("give the officer's number")
        );
        form.officer = " 17 ".into();
        let account = NewAccount::parse(&form).unwrap();
        assert_eq!(account.officer_id, Some(OfficerId(17)));
        form.role = "viewer".into();
        let errors = NewAccount::parse(&form).unwrap_err();
        assert!(
            errors
                .get("officer")
                .unwrap()
                .contains("Only an account of role officer")
        );
        form.role = "officer".into();
        form.officer = "seventeen".into();
        let errors = NewAccount::parse(&form).unwrap_err();
        assert!(
            errors
                .get("officer")
                .unwrap()
                .contains("not an officer's number")
        );
    }

    #[test]
    fn a_new_account_takes_the_username_as_its_name_when_none_is_typed() {
        let account = NewAccount::parse(&new_account(" Dispatch ", "viewer", "long enough pw"));
        let account = account.unwrap();
        assert_eq!(account.username.as_str(), "dispatch");
        assert_eq!(account.display_name, "dispatch");
        assert_eq!(account.role, Role::Viewer);
    }

    #[test]
    fn every_bad_field_of_a_new_account_is_reported_beside_it() {
        let mut form = new_account("no spaces", "root", "short");
        form.display_name = "x".repeat(MAX_DISPLAY_NAME_CHARS + 1);
        let errors = NewAccount::parse(&form).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["display_name", "password", "role", "username"]);
        assert_eq!(
            errors.get("password"),
            Some("A password needs at least 12 characters.")
        );
        assert!(errors.get("username").unwrap().starts_with("A username is"));
    }

    #[test]
    fn access_needs_a_known_role_and_true_or_false() {
        let form = |role: &str, active: &str| AccessForm {
            role: role.into(),
            active: active.into(),
        };
        assert_eq!(
            Access::parse(&form("analyst", "false")),
            Ok(Access {
                role: Role::Analyst,
                active: false
            })
        );
        let errors = Access::parse(&form("boss", "yes")).unwrap_err();
        assert!(errors.contains("role") && errors.contains("active"));
    }

    #[test]
    fn the_last_active_admin_may_not_be_demoted_or_deactivated() {
        let demote = Access {
            role: Role::Supervisor,
            active: true,
        };
        let deactivate = Access {
            role: Role::Admin,
            active: false,
        };
        let keep = Access {
            role: Role::Admin,
            active: true,
        };
        assert!(!leaves_an_admin(&[UserId(1)], UserId(1), demote));
        assert!(!leaves_an_admin(&[UserId(1)], UserId(1), deactivate));
        assert!(leaves_an_admin(&[UserId(1)], UserId(1), keep));
        assert!(
            leaves_an_admin(&[UserId(1), UserId(2)], UserId(1), demote),
            "another admin remains"
        );
        assert!(
            leaves_an_admin(&[UserId(1)], UserId(2), deactivate),
            "2 is not an admin"
        );
    }

    #[test]
    fn a_password_change_needs_the_current_one_and_the_new_one_twice() {
        let form = |current: &str, new: &str, confirm: &str| PasswordChangeForm {
            current_password: current.into(),
            new_password: new.into(),
            confirm_password: confirm.into(),
            next: String::new(),
        };
        assert_eq!(
            form("old password 1", "new password 2", "new password 2").parse(),
            Ok(PasswordChange {
                current: "old password 1".into(),
                new: "new password 2".into()
            })
        );
        let errors = form("", "short", "shrt").parse().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(
            fields,
            ["confirm_password", "current_password", "new_password"]
        );
        let same = form("same password", "same password", "same password").parse();
        assert!(same.unwrap_err().contains("new_password"));
    }

    #[test]
    fn a_set_password_follows_the_rules() {
        let weak = SetPasswordForm {
            password: "weak".into(),
        };
        assert!(weak.parse().unwrap_err().contains("password"));
        let good = SetPasswordForm {
            password: "a good long password".into(),
        };
        assert_eq!(good.parse(), Ok("a good long password".to_string()));
    }
}
