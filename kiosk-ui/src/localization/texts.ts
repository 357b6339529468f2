/**
 * The texts of the session's codes (outcomes, faults, matter kinds, roles,
 * card types, phases), in the language shown now. What the voice prompts
 * also say (guidance, challenges, attempt failures, card rejections) is
 * their caption (`VOICE_PROMPTS` of the contracts), not a second text.
 */
import {
  voiceCaption,
  type AttemptFailure,
  type CardRejection,
  type ChallengeAction,
  type GuidanceCode,
  type MATTER_KINDS,
  type PERSON_ROLES,
  type SessionDevice,
  type SessionLanguage,
  type SessionPhase,
  type VerificationOutcome,
} from "@kiosk/contracts";
import { msg } from "@lit/localize";

/** A kind of registration matter. */
export type MatterKind = (typeof MATTER_KINDS)[number];
/** A person's role on a matter. */
export type PersonRole = (typeof PERSON_ROLES)[number];
/** A card type of the session view. */
export type CardType = "resident" | "hmt-residence" | "foreign-permanent-2017" | "foreign-permanent-2023";
/** Why the kiosk is out of service: a device of the session, or the kiosk service itself not answering. */
export type OutOfServiceFault = SessionDevice | "server";

/** What the outcome means for the applicant, one line. */
export function outcomeText(outcome: VerificationOutcome): string {
  switch (outcome) {
    case "verified":
      return msg("身份核验已通过", { id: "outcome.verified" });
    case "face-mismatch":
      return msg("未能确认是本人", { id: "outcome.face-mismatch" });
    case "liveness-failed":
      return msg("活体检测没有通过", { id: "outcome.liveness-failed" });
    case "card-rejected":
      return msg("证件不能在本机使用", { id: "outcome.card-rejected" });
    case "declined":
      return msg("您选择了到窗口办理", { id: "outcome.declined" });
    case "abandoned":
      return msg("本次办理已结束", { id: "outcome.abandoned" });
    case "no-pending-matter":
      return msg("没有待确认的登记事项", { id: "outcome.no-pending-matter" });
  }
}

/** Which part of the kiosk is not working. */
export function faultText(fault: OutOfServiceFault): string {
  switch (fault) {
    case "reader":
      return msg("读卡器暂不可用", { id: "fault.reader" });
    case "camera":
      return msg("摄像头暂不可用", { id: "fault.camera" });
    case "face-engine":
      return msg("人脸识别暂不可用", { id: "fault.face-engine" });
    case "storage":
      return msg("暂时无法保存核验结果", { id: "fault.storage" });
    case "server":
      return msg("终端服务未响应", { id: "fault.server" });
  }
}

/** The kind of a registration matter. */
export function matterKindText(kind: MatterKind): string {
  switch (kind) {
    case "establishment":
      return msg("设立登记", { id: "matter.establishment" });
    case "change":
      return msg("变更登记", { id: "matter.change" });
    case "deregistration":
      return msg("注销登记", { id: "matter.deregistration" });
  }
}

/** A person's role on a matter. */
export function roleText(role: PersonRole): string {
  switch (role) {
    case "legal-representative":
      return msg("法定代表人", { id: "role.legal-representative" });
    case "shareholder":
      return msg("股东", { id: "role.shareholder" });
    case "director":
      return msg("董事", { id: "role.director" });
    case "supervisor":
      return msg("监事", { id: "role.supervisor" });
    case "manager":
      return msg("经理", { id: "role.manager" });
    case "liaison":
      return msg("联络员", { id: "role.liaison" });
    case "agent":
      return msg("委托代理人", { id: "role.agent" });
  }
}

/** The name of a card type. */
export function cardTypeText(cardType: CardType): string {
  switch (cardType) {
    case "resident":
      return msg("居民身份证", { id: "card.resident" });
    case "hmt-residence":
      return msg("港澳台居民居住证", { id: "card.hmt-residence" });
    case "foreign-permanent-2017":
    case "foreign-permanent-2023":
      return msg("外国人永久居留身份证", { id: "card.foreign-permanent" });
  }
}

/** The label of a phase of the step indicator. */
export function phaseText(phase: SessionPhase): string {
  switch (phase) {
    case "consent":
      return msg("同意", { id: "phase.consent" });
    case "card":
      return msg("读证", { id: "phase.card" });
    case "face":
      return msg("刷脸", { id: "phase.face" });
    case "matters":
      return msg("确认事项", { id: "phase.matters" });
    case "signature":
      return msg("签名", { id: "phase.signature" });
    case "result":
      return msg("结果", { id: "phase.result" });
  }
}

/** What to do now to get into position (the guidance prompt's caption). */
export function guidanceText(code: GuidanceCode, lang: SessionLanguage): string {
  return voiceCaption(`guidance-${code}`, lang);
}

/** The challenge action to perform (its prompt's caption). */
export function challengeText(action: ChallengeAction, lang: SessionLanguage): string {
  return voiceCaption(`challenge-${action}`, lang);
}

/** Why a face attempt failed and what to do (its prompt's caption). */
export function attemptFailureText(reason: AttemptFailure, lang: SessionLanguage): string {
  return voiceCaption(`attempt-${reason}`, lang);
}

/** Why the card was refused (its prompt's caption). */
export function cardRejectionText(reason: CardRejection, lang: SessionLanguage): string {
  return voiceCaption(`card-${reason}`, lang);
}
