#!/bin/sh
# Stands in for Prisma's native schema engine where it cannot be downloaded (DESIGN §6).
# Coffre applies migrations itself (server/database/migrate.ts); nothing should run this.
echo "Prisma's schema engine is not installed here; use npm run db:migrate (see README)." >&2
exit 1
