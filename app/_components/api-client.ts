// The tab's one API client, for client components.
import { createApiClient } from "../../client/api";

export const api = createApiClient();
