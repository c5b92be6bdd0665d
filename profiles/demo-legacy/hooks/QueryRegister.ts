// QueryRegister by patient: the user rules → KY-HIS's query_type/query_value.
import type { QueryRegisterRequest, QueryRegisterResponse } from "../../../generated/types.js";
import type { Hook } from "../../../runtime/profile/index.js";
import { patientQuery } from "./patient-query.js";

const hook: Hook<QueryRegisterRequest, QueryRegisterResponse> = {
  request: (his, request) => ({ ...his, ...patientQuery(request.user) }),
};
export default hook;
