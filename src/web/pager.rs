//! Pages of a long list: the page a URL asks for, and what to fetch for it.

/// The `?page=` of a list's address.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    pub page: Option<String>,
}

/// Which page of a list to show, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    pub page: i64,
    pub per_page: i64,
}

impl Pager {
    /// The page the `page` parameter names (1 when it is absent or blank), with `per_page` rows.
    pub fn parse(page: Option<&str>, per_page: i64) -> Result<Pager, String> {
        let page = match page.map(str::trim).filter(|p| !p.is_empty()) {
            None => 1,
            Some(page) => page
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=1_000_000).contains(p))
                .ok_or_else(|| format!("The page must be a whole number from 1, not {page:?}."))?,
        };
        Ok(Pager { page, per_page })
    }

    /// Rows to skip before this page.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// Rows to fetch: one more than a page, to know whether another page follows.
    pub fn fetch(&self) -> i64 {
        self.per_page + 1
    }

    /// Keeps a page of `rows` fetched with [`Pager::fetch`]; whether more follow.
    pub fn keep<T>(&self, rows: &mut Vec<T>) -> bool {
        let more = rows.len() as i64 > self.per_page;
        rows.truncate(self.per_page as usize);
        more
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_a_whole_number_from_one_and_absent_means_the_first() {
        assert_eq!(Pager::parse(None, 50).unwrap().page, 1);
        assert_eq!(Pager::parse(Some(" "), 50).unwrap().page, 1);
        let third = Pager::parse(Some("3"), 50).unwrap();
        assert_eq!((third.offset(), third.fetch()), (100, 51));
        for bad in ["0", "-1", "two", "1.5", "1000001"] {
            assert!(Pager::parse(Some(bad), 50).is_err(), "{bad}");
        }
    }

    #[test]
    fn keeping_a_page_says_whether_more_follow() {
        let pager = Pager::parse(None, 2).unwrap();
        let mut rows = vec![1, 2, 3];
        assert!(pager.keep(&mut rows));
        assert_eq!(rows, [1, 2]);
        let mut rows = vec![1, 2];
        assert!(!pager.keep(&mut rows));
    }
}
