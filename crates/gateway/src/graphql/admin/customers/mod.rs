//! Customer accounts for customer service: the record, the address book, and the Customers grid.

mod inputs;
mod mutation;
mod objects;
mod query;

pub(crate) use inputs::CustomerGridSortInput;
pub(crate) use mutation::CustomerMutation;
pub(crate) use objects::visible_customer;
pub(crate) use query::CustomerQuery;
