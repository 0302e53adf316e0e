"""The monthly round trip by email: send each partner its workbook, collect the returns that come
back, acknowledge them with their issues, and chase who has not returned.

Modules, in the order data flows: `partners` (who is mailed, from [partners]), `credentials` (read at
the CLI/flow edge only), `ledger` (sent.csv and received.csv: what was done, so nothing is done twice),
`compose` (the messages), `transport` (SMTP, or .eml files for a dry run), `mailbox` (IMAP, or a
folder of .eml files), `attachments` (what may be saved), then the steps `send` and `collect`.
Nothing here reads environment variables or prints.
"""
