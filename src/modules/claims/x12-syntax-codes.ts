/*
 * What the codes of X12 acknowledgements mean, in plain words: the 999's segment, element, transaction set and
 * group codes (X12 data elements 620, 621, 717, 618, 715, 716) and the TA1's (I17, I18). The code values are those
 * of the X12 005010 standard, which these lists belong to; the wording is ours, for a biller.
 */

/** A code as sent, with what it means. */
export interface ExplainedCode {
  code: string;
  meaning: string;
}

/** A code with its meaning from `table`, or `unknown` for a code the table lacks (never an error). */
export const explain = (table: Readonly<Record<string, string>>, code: string, unknown: string): ExplainedCode => ({
  code,
  meaning: Object.hasOwn(table, code) ? table[code]! : unknown,
});

/** For codes of a list the tables leave out: where to look them up. */
export const unknownCode = (code: string, list: string) => `code ${code} (see X12 ${list})`;

/** IK304, implementation segment syntax error (data element 620): what is wrong with a segment. */
export const SEGMENT_SYNTAX_ERRORS: Readonly<Record<string, string>> = {
  "1": "unrecognized segment id",
  "2": "unexpected segment",
  "3": "required segment missing",
  "4": "loop occurs more often than allowed",
  "5": "segment occurs more often than allowed",
  "6": "segment not in the transaction set",
  "7": "segment out of order",
  "8": "segment has data element errors",
  I4: "segment the guide marks not used is present",
  I6: "segment required by another one's presence is missing",
  I7: "loop occurs fewer times than required",
  I8: "segment occurs fewer times than required",
  I9: "segment the guide marks not used in this situation is present",
};

/** IK403, implementation data element syntax error (data element 621): what is wrong with an element. */
export const ELEMENT_SYNTAX_ERRORS: Readonly<Record<string, string>> = {
  "1": "required data element missing",
  "2": "data element required by another one's presence is missing",
  "3": "too many data elements",
  "4": "data element too short",
  "5": "data element too long",
  "6": "invalid character in data element",
  "7": "invalid code value",
  "8": "invalid date",
  "9": "invalid time",
  "10": "data element present where another one excludes it",
  "12": "too many repetitions",
  "13": "too many components",
  I6: "code value the guide does not use",
  I9: "data element required by the guide in this situation is missing",
  I10: "data element the guide marks not used is present",
  I11: "too few repetitions",
  I12: "value does not match the pattern the guide requires",
  I13: "data element the guide marks not used in this situation is present",
};

/** IK501, transaction set acknowledgment code (data element 717). */
export const TRANSACTION_SET_ACKNOWLEDGMENTS: Readonly<Record<string, string>> = {
  A: "accepted",
  E: "accepted, with errors noted",
  M: "rejected: message authentication failed",
  R: "rejected",
  W: "rejected: failed validity tests",
  X: "rejected: could not be analyzed after decryption",
};

/** IK502–IK506, implementation transaction set syntax error (data element 618): why a transaction set failed. */
export const TRANSACTION_SET_SYNTAX_ERRORS: Readonly<Record<string, string>> = {
  "1": "transaction set not supported",
  "2": "transaction set trailer (SE) missing",
  "3": "control numbers in ST and SE differ",
  "4": "the SE segment count differs from the segments sent",
  "5": "one or more segments in error",
  "6": "transaction set identifier missing or invalid",
  "7": "transaction set control number missing or invalid",
  "8": "authentication key name unknown",
  "9": "encryption key name unknown",
  "10": "requested authentication or encryption not available",
  "11": "unknown security recipient",
  "12": "incorrect message length (encryption)",
  "13": "message authentication code failed",
  "15": "unknown security originator",
  "16": "syntax error in decrypted text",
  "17": "security not supported",
  "18": "transaction set not in a functional group",
  "19": "invalid implementation convention reference (ST03)",
  "23": "transaction set control number not unique in the functional group",
  I5: "one or more segments in error (implementation guide)",
  I6: "implementation convention not supported",
};

/** AK901, functional group acknowledge code (data element 715). */
export const GROUP_ACKNOWLEDGMENTS: Readonly<Record<string, string>> = {
  A: "accepted",
  E: "accepted, with errors noted",
  M: "rejected: message authentication failed",
  P: "partially accepted: at least one transaction set was rejected",
  R: "rejected",
  W: "rejected: failed validity tests",
  X: "rejected: could not be analyzed after decryption",
};

/** AK905–AK909, functional group syntax error (data element 716): why a group failed. */
export const GROUP_SYNTAX_ERRORS: Readonly<Record<string, string>> = {
  "1": "functional group not supported",
  "2": "functional group version not supported",
  "3": "functional group trailer (GE) missing",
  "4": "control numbers in GS and GE differ",
  "5": "the GE count of transaction sets differs from those sent",
  "6": "group control number violates syntax",
  "10": "authentication key name unknown",
  "11": "encryption key name unknown",
  "12": "requested authentication or encryption not available",
  "13": "unknown security recipient",
  "14": "unknown security originator",
  "15": "syntax error in decrypted text",
  "16": "security not supported",
  "17": "incorrect message length (encryption)",
  "18": "message authentication code failed",
  "19": "group control number not unique in the interchange",
};

/** TA104, interchange acknowledgment code (I17). */
export const INTERCHANGE_ACKNOWLEDGMENTS: Readonly<Record<string, string>> = {
  A: "accepted",
  E: "accepted, with errors noted",
  R: "rejected",
};

/** TA105, interchange note code (I18): what the receiver found in our ISA/IEA. */
export const INTERCHANGE_NOTES: Readonly<Record<string, string>> = {
  "000": "no error",
  "001": "control numbers in ISA and IEA differ",
  "002": "the control standard (ISA11) is not supported",
  "003": "this version of the controls (ISA12) is not supported",
  "004": "the segment terminator is invalid",
  "005": "invalid sender id qualifier (ISA05)",
  "006": "invalid sender id (ISA06)",
  "007": "invalid receiver id qualifier (ISA07)",
  "008": "invalid receiver id (ISA08)",
  "009": "unknown receiver id",
  "010": "invalid authorization information qualifier (ISA01)",
  "011": "invalid authorization information (ISA02)",
  "012": "invalid security information qualifier (ISA03)",
  "013": "invalid security information (ISA04)",
  "014": "invalid interchange date (ISA09)",
  "015": "invalid interchange time (ISA10)",
  "016": "invalid interchange standards identifier",
  "017": "invalid interchange version (ISA12)",
  "018": "invalid interchange control number (ISA13)",
  "019": "invalid acknowledgment requested value (ISA14)",
  "020": "invalid test indicator (ISA15)",
  "021": "invalid number of included groups (IEA01)",
  "022": "invalid control structure",
  "023": "the file ended too early",
  "024": "invalid interchange content (such as an invalid GS segment)",
  "025": "duplicate interchange control number",
  "026": "invalid data element separator",
  "027": "invalid component element separator",
  "028": "invalid delivery date in a deferred delivery request",
  "029": "invalid delivery time in a deferred delivery request",
  "030": "invalid delivery time code in a deferred delivery request",
  "031": "invalid grade of service code",
};
