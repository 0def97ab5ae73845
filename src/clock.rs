//! Build time for reproducible output: `SOURCE_DATE_EPOCH`, and calendar
//! formatting without a time-zone database (everything is UTC).

/// `SOURCE_DATE_EPOCH` when set; an unparsable value is an error, not ignored.
pub fn source_date_epoch() -> Result<Option<u64>, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("SOURCE_DATE_EPOCH={v:?} is not a whole number of seconds")),
        _ => Ok(None),
    }
}

/// (year, month, day, seconds of day) of a Unix time, by Howard Hinnant's civil_from_days.
fn civil(epoch: u64) -> (i64, u32, u32, u64) {
    let days = (epoch / 86_400) as i64;
    let secs = epoch % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, secs)
}

/// `2026-11-23T09:35:46Z`
pub fn rfc3339(epoch: u64) -> String {
    let (y, m, d, s) = civil(epoch);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `2026-11-23`
pub fn date(epoch: u64) -> String {
    let (y, m, d, _) = civil(epoch);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_gnu_date() {
        // Values from `date -u -d @N +%FT%TZ`.
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_419_346), "2026-11-23T07:35:46Z");
        assert_eq!(date(4_107_542_399), "2100-02-28");
    }
}
