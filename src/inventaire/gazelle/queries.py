"""The GraphQL documents sent to Gazelle (validated against its schema by the test server)."""

INVOICE_FIELDS = """
  id number status updatedAt createdAt
  assignedTo { id }
  client { companyName defaultContact { firstName lastName } }
  allInvoiceItems(first: 100) { pageInfo { hasNextPage endCursor } nodes { ...Item } }
"""

ITEM_FIELDS = """
fragment Item on PrivateInvoiceItem { id description quantity masterServiceItem { id name } piano { id } }
"""

INVOICES = """
query Invoices($first: Int!, $after: String, $filters: PrivateAllInvoicesFilter) {
  allInvoices(first: $first, after: $after, filters: $filters, sortBy: [INVOICE_DATE_ASC]) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { INVOICE_FIELDS }
  }
}
ITEM_FIELDS""".replace("INVOICE_FIELDS", INVOICE_FIELDS).replace("ITEM_FIELDS", ITEM_FIELDS)

MORE_ITEMS = """
query MoreItems($id: String!, $after: String) {
  invoice(id: $id) {
    allInvoiceItems(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...Item } }
  }
}
""" + ITEM_FIELDS

USERS = "query Users { allUsers { id firstName lastName email } }"

SERVICE_ITEMS = "query ServiceItems { allMasterServiceItems { id name isArchived masterServiceGroup { name } } }"
