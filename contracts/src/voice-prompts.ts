/**
 * The kiosk's voice prompts: one for each prompt the verification session
 * asks for ({@linkcode SessionPromptKey} of `session-view.ts`, the single
 * vocabulary of prompt keys), each with its caption in Chinese and English.
 * The caption is exactly what the clip says, so a person who cannot hear
 * reads the same words.
 *
 * The edge server serves one clip per key and language at
 * {@linkcode voicePromptPath}; the UI plays it and shows the caption. Clips
 * are generated from these captions (`./kiosk voice build`), or replaced by
 * recordings dropped into the edge's `voice.recordingsDir`.
 */
import type { SessionLanguage, SessionPromptKey } from "./session-view.ts";

/** The caption of one prompt in each language. */
export type VoiceCaptions = Readonly<Record<SessionLanguage, string>>;

/**
 * The captions of every prompt the session asks for (one per
 * {@linkcode SessionPromptKey}, in the order of `SESSION_PROMPT_KEYS`):
 * short, plain sentences for people of any age. A failed attempt says what
 * went wrong and what to do; a refused card says why and sends the person to
 * a staff window.
 */
export const VOICE_PROMPTS = {
  // The screens.
  "language": { zh: "请选择语言。", en: "Please choose your language." },
  "consent": {
    zh: "请阅读以下说明。同意使用人脸识别，请点同意并开始；不同意，请点去窗口办理。",
    en: "Please read this notice. To use face recognition, touch Agree and start. If you do not agree, touch Decline, go to a staff window.",
  },
  "place-card": { zh: "请将身份证放在读卡区。", en: "Please place your ID card on the reader." },
  "reading": { zh: "正在读卡，请不要移动证件。", en: "Reading your card. Please keep it still." },
  "face": { zh: "请看摄像头，把脸放在框内。", en: "Please look at the camera and keep your face inside the frame." },
  "matters": { zh: "请确认您要办理的登记事项。", en: "Please confirm the registration matters you are here for." },
  "signature": { zh: "请在框内签名，然后点确认。", en: "Please sign inside the box, then touch Confirm." },
  "out-of-service": { zh: "本机暂停服务，请到人工窗口办理。", en: "This kiosk is out of service. Please go to a staff window." },
  // The place-card screen again, after a read that did not work.
  "place-card-read-failed": { zh: "未能读取证件，请拿起证件，再重新放好。", en: "The card could not be read. Please lift it and place it again." },
  "place-card-card-removed-early": { zh: "证件拿开得太早了，请重新放好，读完前不要移动。", en: "The card was lifted too soon. Please place it again and keep it still." },
  // The result screens.
  "result-verified": { zh: "核验通过。请取回您的身份证。", en: "Verified. Please take your ID card." },
  "result-referral": { zh: "请到窗口办理，并向工作人员出示屏幕上的号码。", en: "Please go to a staff window, and show the staff the number on the screen." },
  "result-no-matter": { zh: "没有找到您待确认的登记事项，请到窗口咨询。", en: "No registration matters are waiting for you. Please ask at a staff window." },
  "timeout-warning": { zh: "您还需要时间吗？如需继续，请点屏幕。", en: "Do you need more time? Touch the screen to continue." },
  // Liveness challenge actions.
  "challenge-blink": { zh: "请眨眼。", en: "Please blink." },
  "challenge-turn-left": { zh: "请向左转头。", en: "Please turn your head to the left." },
  "challenge-turn-right": { zh: "请向右转头。", en: "Please turn your head to the right." },
  // Live guidance, one per quality gate code.
  "guidance-no-face": { zh: "没有看到人脸，请站到摄像头前。", en: "No face is in view. Please stand in front of the camera." },
  "guidance-multiple-faces": { zh: "画面里有多个人，请只留一人。", en: "More than one person is in view. Only one person, please." },
  "guidance-too-far": { zh: "请靠近一点。", en: "Please come a little closer." },
  "guidance-too-close": { zh: "请后退一点。", en: "Please move back a little." },
  "guidance-off-center": { zh: "请把脸移到框的中间。", en: "Please move your face to the middle of the frame." },
  "guidance-face-the-camera": { zh: "请正对摄像头。", en: "Please face the camera straight on." },
  "guidance-too-dark": { zh: "光线太暗，请面向屏幕，不要背对灯光。", en: "It is too dark. Please face the screen, with no bright light behind you." },
  "guidance-too-bright": { zh: "光线太亮，请避开强光。", en: "It is too bright. Please move out of the strong light." },
  "guidance-blurry": { zh: "请保持不动。", en: "Please hold still." },
  "guidance-eyes-closed": { zh: "请睁开眼睛。", en: "Please open your eyes." },
  // Why an attempt failed, and what to do.
  "attempt-not-same-person": { zh: "未能确认是本人，请再试一次。", en: "We could not confirm that this is you. Please try again." },
  "attempt-liveness-not-passed": { zh: "活体检测没有通过，请按提示再试一次。", en: "The live check did not pass. Please follow the prompts and try again." },
  "attempt-no-face": { zh: "没有看到人脸。请站到摄像头前，再试一次。", en: "No face was seen. Please stand in front of the camera and try again." },
  "attempt-multiple-faces": { zh: "画面里有多个人。请只留您一人，再试一次。", en: "More than one person was in view. Please stand alone and try again." },
  "attempt-too-far": { zh: "离得太远了。请靠近一点，再试一次。", en: "You were too far away. Please come a little closer and try again." },
  "attempt-too-close": { zh: "离得太近了。请后退一点，再试一次。", en: "You were too close. Please move back a little and try again." },
  "attempt-off-center": { zh: "脸不在框的中间。请把脸放在框内，再试一次。", en: "Your face was not in the middle of the frame. Please move into it and try again." },
  "attempt-face-the-camera": { zh: "脸没有对着摄像头。请正对摄像头，再试一次。", en: "You were not facing the camera. Please look straight at it and try again." },
  "attempt-too-dark": { zh: "光线太暗，请靠近一点或面向光源，再试一次。", en: "It was too dark. Please come closer or face the light, and try again." },
  "attempt-too-bright": { zh: "光线太亮，请避开强光，再试一次。", en: "It was too bright. Please move out of the strong light and try again." },
  "attempt-blurry": { zh: "画面不清楚，请保持不动，再试一次。", en: "The picture was blurred. Please hold still and try again." },
  "attempt-eyes-closed": { zh: "您的眼睛是闭着的。请睁开眼睛，再试一次。", en: "Your eyes were closed. Please keep them open and try again." },
  "attempt-timed-out": { zh: "时间到了，请再试一次。", en: "Time ran out. Please try again." },
  // Why a card was refused, on the result screen of the refused card (which shows a referral code).
  "card-expired": { zh: "您的证件已过有效期。请到窗口办理，并出示屏幕上的号码。", en: "Your card has expired. Please go to a staff window and show the number on the screen." },
  "card-not-yet-valid": { zh: "您的证件还没有生效。请到窗口办理，并出示屏幕上的号码。", en: "Your card is not valid yet. Please go to a staff window and show the number on the screen." },
  "card-bad-id-number": { zh: "无法核对证件号码。请到窗口办理，并出示屏幕上的号码。", en: "The card number cannot be checked. Please go to a staff window and show the number on the screen." },
  "card-birth-date-mismatch": { zh: "证件上的出生日期与号码不符。请到窗口办理，并出示屏幕上的号码。", en: "The birth date on the card does not match its number. Please go to a staff window and show the number on the screen." },
  "card-sex-mismatch": { zh: "证件上的性别与号码不符。请到窗口办理，并出示屏幕上的号码。", en: "The sex on the card does not match its number. Please go to a staff window and show the number on the screen." },
  "card-under-age": { zh: "未满规定年龄，不能自助办理。请到窗口办理，并出示屏幕上的号码。", en: "You are under the minimum age for this kiosk. Please go to a staff window and show the number on the screen." },
  "card-unsupported-card": { zh: "本机暂不支持这种证件。请到窗口办理，并出示屏幕上的号码。", en: "This kind of card is not supported here. Please go to a staff window and show the number on the screen." },
  "card-photo-undecodable": { zh: "证件照片无法读取。请到窗口办理，并出示屏幕上的号码。", en: "The photo on your card cannot be read. Please go to a staff window and show the number on the screen." },
  "card-photo-no-face": { zh: "证件照片里找不到人脸。请到窗口办理，并出示屏幕上的号码。", en: "No face can be found in the photo on your card. Please go to a staff window and show the number on the screen." },
  "card-reported-lost": { zh: "这张证件已挂失。请到窗口办理，并出示屏幕上的号码。", en: "This card was reported lost. Please go to a staff window and show the number on the screen." },
  "card-reported-stolen": { zh: "这张证件已登记被盗。请到窗口办理，并出示屏幕上的号码。", en: "This card was reported stolen. Please go to a staff window and show the number on the screen." },
  "card-card-invalidated": { zh: "这张证件已作废。请到窗口办理，并出示屏幕上的号码。", en: "This card is no longer valid. Please go to a staff window and show the number on the screen." },
} as const satisfies Record<SessionPromptKey, VoiceCaptions>;

/** True when `value` is a prompt key (a {@linkcode SessionPromptKey}). */
export function isSessionPromptKey(value: string): value is SessionPromptKey {
  return Object.hasOwn(VOICE_PROMPTS, value);
}

/** The exact words of prompt `key` in `lang`. */
export function voiceCaption(key: SessionPromptKey, lang: SessionLanguage): string {
  return VOICE_PROMPTS[key][lang];
}

/**
 * The URL path at which the edge server serves the clip of `key` in `lang`.
 *
 * @example
 * ```ts
 * voicePromptPath("zh", "consent"); // "/voice/zh/consent"
 * ```
 */
export function voicePromptPath(lang: SessionLanguage, key: SessionPromptKey): string {
  return `/voice/${lang}/${key}`;
}
