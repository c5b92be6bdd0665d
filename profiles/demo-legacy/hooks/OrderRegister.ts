// OrderRegister: the standard's group carries the visit kind (flag 0 初诊, 1 复诊, 2 出院复诊, KY-HIS's visit_kind)
// and the user rules by which KY-HIS finds the patient (query_type/query_value).
import type { OrderRegisterRequest, OrderRegisterResponse } from "../../../generated/types.js";
import type { Hook } from "../../../runtime/profile/index.js";
import { patientQuery } from "./patient-query.js";

const hook: Hook<OrderRegisterRequest, OrderRegisterResponse> = {
  request(his, request) {
    const group = request.group[0];
    return {
      ...his,
      ...(group ? { visit_kind: String(group.flag) } : {}),
      ...patientQuery(request.group.flatMap((g) => g.rule)),
    };
  },
};
export default hook;
