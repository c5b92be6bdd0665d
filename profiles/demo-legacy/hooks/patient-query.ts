// KY-HIS finds a patient by one (query_type, query_value) pair (API.md 1.5); the standard gives a list of user
// rules ({id: "certifcate", type: "1", value: "6101…"}). Which rule to use is a choice, not a mapping: the
// strongest identifier the platform sent, in this order.
const ORDER: readonly (readonly [rule: string, queryType: string])[] = [
  ["id", "4"],
  ["medicalNo", "3"],
  ["card", "2"],
  ["certifcate", "1"],
  ["parentCertifcate", "5"],
];

export interface UserRule {
  id: string;
  type?: string;
  value: string;
}

/** The HIS's patient query for a list of the standard's user rules, or nothing when none identifies a patient. */
export function patientQuery(rules: readonly UserRule[] | undefined): Record<string, string> {
  for (const [rule, queryType] of ORDER) {
    const hit = rules?.find((r) => r.id === rule);
    if (hit)
      return {
        query_type: queryType,
        query_value: hit.value,
        ...(hit.type !== undefined ? { query_sub_type: hit.type } : {}),
      };
  }
  return {};
}

/** The mobile number among the rules, which KY-HIS checks against the record. */
export const mobileOf = (rules: readonly UserRule[] | undefined): string | undefined =>
  rules?.find((r) => r.id === "mobile")?.value;
