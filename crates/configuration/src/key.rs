//! Typed keys: the only way code outside this crate names an option, so a misspelt path does not
//! compile and a flag cannot be read as a number. The keys themselves are generated from the
//! registry into [`crate::keys`].

use std::fmt;
use std::marker::PhantomData;

/// An option read as a yes/no flag.
#[derive(Debug)]
pub enum Flag {}
/// An option read as a whole number (absent when empty).
#[derive(Debug)]
pub enum Number {}
/// An option read as text.
#[derive(Debug)]
pub enum Text {}
/// An option read as a comma-separated list.
#[derive(Debug)]
pub enum List {}

/// The key of one registered option, read as `R`.
pub struct Key<R> {
    path: &'static str,
    reading: PhantomData<fn() -> R>,
}

impl<R> Key<R> {
    /// Only the generated key list makes keys, each for an option of the registry.
    pub(crate) const fn new(path: &'static str) -> Self {
        Self {
            path,
            reading: PhantomData,
        }
    }

    /// The option's `section/group/field` path.
    pub const fn path(self) -> &'static str {
        self.path
    }
}

impl<R> Clone for Key<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Key<R> {}

impl<R> PartialEq for Key<R> {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl<R> Eq for Key<R> {}

impl<R> fmt::Debug for Key<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path)
    }
}
