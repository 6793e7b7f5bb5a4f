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

# --- Appointments (rendezvous/): every event of a window with the services booked on it -------------

EVENT_ITEM_FIELDS = """
fragment BookedItem on PrivateEventServiceItem { id name quantity masterServiceItem { id name } piano { id } }
"""

EVENTS = """
query Events($first: Int!, $after: String, $filters: PrivateAllEventsFilter) {
  allEventsBatched(first: $first, after: $after, filters: $filters, sortBy: [START_ASC]) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id title start duration type status notes
      user { id }
      client { companyName defaultContact { firstName lastName } }
      allServiceItems(first: 30) { pageInfo { hasNextPage endCursor } nodes { ...BookedItem } }
    }
  }
}
""" + EVENT_ITEM_FIELDS

MORE_EVENT_ITEMS = """
query MoreEventItems($id: String!, $after: String) {
  event(id: $id) {
    allServiceItems(first: 30, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...BookedItem } }
  }
}
""" + EVENT_ITEM_FIELDS

# Every document the connector sends: the live schema check (schema_check.py) derives the types
# and fields to look for from these, so a document added here is checked with no second list.
DOCUMENTS: list[str] = [INVOICES, MORE_ITEMS, USERS, SERVICE_ITEMS, EVENTS, MORE_EVENT_ITEMS]
