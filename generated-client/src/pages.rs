//! Walking the pages of a list operation.
//!
//! The reference shows the page wrapper (`items`, `currentPage`, `nextPage`, ...) but not the
//! names of the paging query parameters, so the list operations declare none. [`Pages`] follows
//! `nextPage` and hands each page number to a closure that makes the call, which names the
//! parameter itself with the per-call `.query(name, value)`.

use std::future::Future;

use crate::{Error, ResponseValue, types};

/// One page of a list operation: its items and the number of the page after it.
pub trait Page {
    /// What the page lists.
    type Item;
    /// The items of this page.
    fn items(&self) -> &[Self::Item];
    /// The number of the next page, as the service sent it (absent on the last page).
    fn next_page(&self) -> Option<i64>;
}

macro_rules! page {
    ($page:ty, $item:ty) => {
        impl Page for $page {
            type Item = $item;
            fn items(&self) -> &[$item] {
                &self.items
            }
            fn next_page(&self) -> Option<i64> {
                self.next_page
            }
        }
    };
}

page!(types::CustomerPage, types::Customer);
page!(types::CallPage, types::Call);
page!(
    types::CustomFieldDefinitionPage,
    types::CustomFieldDefinition
);

/// The pages of a list operation, one call per page, in order.
///
/// `fetch` makes the call for a page number. Walking stops after a page without items, a page
/// without `nextPage`, or a `nextPage` that does not move forward (so a service that repeats a
/// page cannot keep the walk going). After an error, the same page is fetched again by the next
/// call to [`Pages::next`]. Every call is paced and retried like any other.
pub struct Pages<F> {
    fetch: F,
    next: Option<u64>,
}

impl<F> Pages<F> {
    /// Starts at page 1.
    pub fn new<Fut>(fetch: F) -> Self
    where
        F: FnMut(u64) -> Fut,
    {
        Self::starting_at(1, fetch)
    }

    /// Starts at the given page.
    pub fn starting_at<Fut>(page: u64, fetch: F) -> Self
    where
        F: FnMut(u64) -> Fut,
    {
        Pages {
            fetch,
            next: Some(page),
        }
    }

    /// The next page, or `None` after the last one.
    pub async fn next<P, Fut>(&mut self) -> Result<Option<P>, Error>
    where
        F: FnMut(u64) -> Fut,
        Fut: Future<Output = Result<ResponseValue<P>, Error>>,
        P: Page,
    {
        let Some(number) = self.next else {
            return Ok(None);
        };
        let page = (self.fetch)(number).await?.into_inner();
        self.next = page
            .next_page()
            .and_then(|next| u64::try_from(next).ok())
            .filter(|&next| next > number && !page.items().is_empty());
        Ok(Some(page))
    }
}

impl<F> std::fmt::Debug for Pages<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}
