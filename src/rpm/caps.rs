//! File capabilities: the text rpm keeps in FILECAPS (libcap's
//! `cap_to_text`, e.g. `cap_net_raw=ep`) turned into the bytes of the
//! `security.capability` extended attribute, as rpm's `cap_set_file` writes
//! them: a `vfs_cap_data` of revision 2.

use thiserror::Error;

/// Linux capability names, by number.
const NAMES: [&str; 41] = [
    "chown",
    "dac_override",
    "dac_read_search",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "setpcap",
    "linux_immutable",
    "net_bind_service",
    "net_broadcast",
    "net_admin",
    "net_raw",
    "ipc_lock",
    "ipc_owner",
    "sys_module",
    "sys_rawio",
    "sys_chroot",
    "sys_ptrace",
    "sys_pacct",
    "sys_admin",
    "sys_boot",
    "sys_nice",
    "sys_resource",
    "sys_time",
    "sys_tty_config",
    "mknod",
    "lease",
    "audit_write",
    "audit_control",
    "setfcap",
    "mac_override",
    "mac_admin",
    "syslog",
    "wake_alarm",
    "block_suspend",
    "audit_read",
    "perfmon",
    "bpf",
    "checkpoint_restore",
];

const VFS_CAP_REVISION_2: u32 = 0x0200_0000;
const VFS_CAP_FLAGS_EFFECTIVE: u32 = 0x0000_0001;

#[derive(Debug, Error, PartialEq, Eq)]
#[error("file capabilities {text:?}: {reason}")]
pub struct CapsError {
    pub text: String,
    pub reason: String,
}

/// The three capability sets of a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileCaps {
    pub effective: u64,
    pub permitted: u64,
    pub inheritable: u64,
}

impl FileCaps {
    /// Parse libcap's text form: whitespace-separated clauses, each a
    /// comma-separated list of capabilities (empty or `all` for every one)
    /// followed by operations `=`, `+` or `-` with flags from `eip`.
    pub fn parse(text: &str) -> Result<FileCaps, CapsError> {
        let fail = |reason: String| CapsError {
            text: text.to_string(),
            reason,
        };
        let mut caps = FileCaps::default();
        for clause in text.split_whitespace() {
            let split = clause
                .find(['=', '+', '-'])
                .ok_or_else(|| fail(format!("{clause:?} has no =, + or -")))?;
            let (list, mut actions) = clause.split_at(split);
            let selected = selection(list).map_err(fail)?;
            while let Some(op) = actions.chars().next() {
                let rest = &actions[1..];
                let end = rest.find(['=', '+', '-']).unwrap_or(rest.len());
                let flags = &rest[..end];
                caps.apply(op, flags, selected).map_err(fail)?;
                actions = &rest[end..];
            }
        }
        Ok(caps)
    }

    fn apply(&mut self, op: char, flags: &str, selected: u64) -> Result<(), String> {
        if op == '=' {
            for set in [
                &mut self.effective,
                &mut self.permitted,
                &mut self.inheritable,
            ] {
                *set &= !selected;
            }
        } else if flags.is_empty() {
            return Err(format!("{op} without flags"));
        }
        for flag in flags.chars() {
            let set = match flag {
                'e' => &mut self.effective,
                'p' => &mut self.permitted,
                'i' => &mut self.inheritable,
                other => return Err(format!("unknown flag {other:?}")),
            };
            match op {
                '-' => *set &= !selected,
                _ => *set |= selected,
            }
        }
        Ok(())
    }

    /// `security.capability` as the kernel stores it (little-endian
    /// `vfs_cap_data`, revision 2). An empty set (`=`) is still written:
    /// rpm sets it, and getcap shows it.
    pub fn xattr(&self) -> Vec<u8> {
        let magic = VFS_CAP_REVISION_2
            | if self.effective != 0 {
                VFS_CAP_FLAGS_EFFECTIVE
            } else {
                0
            };
        let mut out = Vec::with_capacity(20);
        for word in [
            magic,
            self.permitted as u32,
            self.inheritable as u32,
            (self.permitted >> 32) as u32,
            (self.inheritable >> 32) as u32,
        ] {
            out.extend_from_slice(&word.to_le_bytes());
        }
        out
    }
}

/// The capabilities a clause's list names, as a bit set.
fn selection(list: &str) -> Result<u64, String> {
    if list.is_empty() || list.eq_ignore_ascii_case("all") {
        return Ok((1u64 << NAMES.len()) - 1);
    }
    list.split(',').try_fold(0u64, |bits, name| {
        let lower = name.to_ascii_lowercase();
        let bare = lower.strip_prefix("cap_").unwrap_or(&lower);
        NAMES
            .iter()
            .position(|n| *n == bare)
            .map(|i| bits | 1 << i)
            .ok_or_else(|| format!("unknown capability {name:?}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bit(name: &str) -> u64 {
        1 << NAMES.iter().position(|n| *n == name).unwrap()
    }

    #[test]
    fn libcap_text_forms() {
        let raw = FileCaps::parse("cap_net_raw=ep").unwrap();
        assert_eq!(raw.effective, bit("net_raw"));
        assert_eq!(raw.permitted, bit("net_raw"));
        assert_eq!(raw.inheritable, 0);
        assert_eq!(FileCaps::parse("= cap_net_raw+ep").unwrap(), raw);
        let two = FileCaps::parse("cap_net_admin,cap_net_raw+p cap_net_raw+e").unwrap();
        assert_eq!(two.permitted, bit("net_admin") | bit("net_raw"));
        assert_eq!(two.effective, bit("net_raw"));
        let lowered = FileCaps::parse("all=p cap_sys_admin-p").unwrap();
        assert_eq!(lowered.permitted, (1u64 << 41) - 1 - bit("sys_admin"));
        assert!(FileCaps::parse("cap_nonsense=ep").is_err());
        assert!(FileCaps::parse("cap_chown").is_err());
        assert!(FileCaps::parse("cap_chown=x").is_err());
    }

    #[test]
    fn vfs_cap_data_revision_2() {
        // What setcap writes is compared in tests/rpm_caps.rs.
        let bytes = FileCaps::parse("cap_net_raw=ep").unwrap().xattr();
        assert_eq!(bytes.len(), 20);
        let word = |i: usize| u32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().unwrap());
        assert_eq!(word(0), VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE);
        assert_eq!(word(1), bit("net_raw") as u32);
        let high = FileCaps::parse("cap_bpf=p").unwrap().xattr();
        assert_eq!(&high[0..4], &VFS_CAP_REVISION_2.to_le_bytes());
        assert_eq!(&high[12..16], &((bit("bpf") >> 32) as u32).to_le_bytes());
        let empty = FileCaps::parse("=").unwrap().xattr();
        assert_eq!(&empty[0..4], &VFS_CAP_REVISION_2.to_le_bytes());
        assert!(empty[4..].iter().all(|&b| b == 0));
    }
}
