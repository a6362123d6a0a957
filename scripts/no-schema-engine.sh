#!/bin/sh
# Prisma's native schema engine cannot be downloaded on these machines. Fail loudly instead of silently
# doing nothing: apply migrations with `npx inferledger db migrate` (server/db/migrate.ts).
echo "prisma schema engine unavailable here; use 'npx inferledger db migrate'" >&2
exit 1
