"""Page objects: one per page of the accounting site. They take a Playwright ``Page``, expose what a user does
there, keep their locators private, hold no business logic and never sleep."""
