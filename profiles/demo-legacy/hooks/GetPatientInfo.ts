// GetPatientInfo: the user rules → KY-HIS's query_type/query_value (and the mobile number it checks).
import type { GetPatientInfoRequest, GetPatientInfoResponse } from "../../../generated/types.js";
import type { Hook } from "../../../runtime/profile/index.js";
import { mobileOf, patientQuery } from "./patient-query.js";

const hook: Hook<GetPatientInfoRequest, GetPatientInfoResponse> = {
  request: (his, request) => ({ ...his, ...patientQuery(request.user), phone: mobileOf(request.user) }),
};
export default hook;
