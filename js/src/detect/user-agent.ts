// Browser and OS recognition from the user agent string, with the names, versions and precedence
// of rtc-detect 1.2.0, and the browser blacklist shared by RTCDetect.isTRTCSupported() and
// TRTC.checkSystemRequirements().
import type { BrowserInfo, BrowserVersion } from './types';

/** What the user agent string says about the browser and the OS. */
export interface UserAgentInfo {
  /** The OS name (`unknown` when none matched). */
  os: string;
  /** The browser name and version (`unknown` for both when none matched). */
  browser: BrowserInfo;
  /** UCBrowser, legacy EdgeHTML, Chromium Edge below 80 or Firefox below 56. */
  blacklisted: boolean;
}

/** `navigator.userAgent`, or an empty string outside a browser. */
export function currentUserAgent(): string {
  return (typeof navigator !== 'undefined' && navigator.userAgent) || '';
}

/** The first capture group of `re` in `ua`, or `missing` when there is none. */
function group<M>(ua: string, re: RegExp, missing: M): string | M {
  const m = re.exec(ua);
  return m && m[1] ? m[1] : missing;
}

/** The first capture group as a number (the major version for these patterns), or null. */
function groupNumber(ua: string, re: RegExp): number | null {
  const g = group(ua, re, null);
  return g === null ? null : parseFloat(g);
}

interface Rule {
  name: string;
  matches: boolean;
  version: () => BrowserVersion;
}

/**
 * Parses a user agent string.
 *
 * Every rule is tried and the **last** one that matches names the browser, so the specific
 * browsers built on Chromium or WebKit (QQ, WeChat, vendor browsers, Sogou) win over Chrome and
 * Safari, as in rtc-detect 1.2.0. Versions keep rtc-detect's types (see {@link BrowserVersion}).
 */
export function parseUserAgent(ua: string): UserAgentInfo {
  const has = (re: RegExp): boolean => re.test(ua);

  const iPad = has(/iPad/i);
  const iPhone = has(/iPhone/i) && !iPad;
  const iOS = iPhone || iPad || has(/iPod/i);
  const android = has(/Android/i);

  const firefox = has(/Firefox/i);
  const legacyEdge = has(/Edge\//i);
  const edg = has(/Edg\//i);
  const sogouMobile = has(/SogouMobileBrowser\//i);
  const sogou = has(/MetaSr\s/i);
  const tbs = has(/TBS\/\d+/i);
  const xweb = has(/XWEB\/\d+/i);
  const weChat = has(/(micromessenger|webbrowser)/i);
  const mqq = !tbs && has(/MQQBrowser\/\d+/i);
  const qqMobileX5 = mqq && has(/COVC\/\d+/i);
  const qqMobile = mqq && !has(/COVC\/\d+/i);
  const qqWin = !tbs && has(/ QQBrowser\/\d+/i);
  const qqMac = !tbs && has(/QQBrowserLite\/\d+/i);
  const qqIPad = !tbs && has(/MQBHD\/\d+/i);
  const mi = has(/MiuiBrowser/i);
  const huawei = has(/HuaweiBrowser/i);
  const samsung = has(/SamsungBrowser/i);
  const oppo = has(/HeyTapBrowser/i);
  const vivo = has(/VivoBrowser/i);
  const anyChrome = has(/Chrome/i);
  const chrome =
    anyChrome &&
    !(legacyEdge || sogou || sogouMobile || tbs || xweb || edg || qqWin || mi || huawei || samsung || oppo || vivo);
  const safari = !anyChrome && !qqMobile && !qqMobileX5 && !qqMac && !qqIPad && has(/Safari/i);

  const qqMobileVersion = (): BrowserVersion => group(ua, / MQQBrowser\/([\d.]+)/, null);
  const rules: Rule[] = [
    { name: 'Firefox', matches: firefox, version: () => groupNumber(ua, /Firefox\/(\d+)/) },
    { name: 'Edg', matches: edg, version: () => groupNumber(ua, /Edg\/(\d+)/) },
    { name: 'Chrome', matches: chrome, version: () => group(ua, /Chrome\/([\d.]+)/, null) },
    { name: 'Safari', matches: safari, version: () => group(ua, /Version\/([\d.]+)/, null) },
    { name: 'TBS', matches: tbs, version: () => group(ua, /TBS\/(\d+)/i, undefined) },
    { name: 'XWEB', matches: xweb, version: () => group(ua, /XWEB\/(\d+)/i, undefined) },
    { name: 'WeChat', matches: weChat && iPhone, version: () => group(ua, /MicroMessenger\/(\d+)/i, undefined) },
    { name: 'QQ(Win)', matches: qqWin, version: () => group(ua, / QQBrowser\/([\d.]+)/, null) },
    { name: 'QQ(Mobile)', matches: qqMobile, version: qqMobileVersion },
    { name: 'QQ(Mobile X5)', matches: qqMobileX5, version: qqMobileVersion },
    { name: 'QQ(Mac)', matches: qqMac, version: () => group(ua, /QQBrowserLite\/([\d.]+)/, null) },
    { name: 'QQ(iPad)', matches: qqIPad, version: () => group(ua, /MQBHD\/([\d.]+)/, null) },
    { name: 'MI', matches: mi, version: () => group(ua, /MiuiBrowser\/([\d.]+)/, null) },
    { name: 'HW', matches: huawei, version: () => group(ua, /HuaweiBrowser\/([\d.]+)/, null) },
    { name: 'Samsung', matches: samsung, version: () => group(ua, /SamsungBrowser\/([\d.]+)/, null) },
    { name: 'OPPO', matches: oppo, version: () => group(ua, /HeyTapBrowser\/([\d.]+)/, null) },
    { name: 'VIVO', matches: vivo, version: () => group(ua, /VivoBrowser\/([\d.]+)/, null) },
    { name: 'EDGE', matches: legacyEdge, version: () => group(ua, /Edge\/(\d+)/i, undefined) },
    { name: 'SogouMobile', matches: sogouMobile, version: () => groupNumber(ua, /SogouMobileBrowser\/(\d+)/) },
    { name: 'Sogou', matches: sogou, version: () => groupNumber(ua, /MetaSr(\s\d+(\.\d+)+)/) },
  ];
  const last = rules.filter((r) => r.matches).pop();
  const browser: BrowserInfo = last ? { name: last.name, version: last.version() } : unknownBrowser();

  // The OS, with the same precedence (the last match wins).
  const systems: [string, boolean][] = [
    ['Android', android],
    ['iOS', iOS],
    ['Windows', has(/Windows/i)],
    ['MacOS', !iOS && has(/MAC OS X/i)],
    ['Linux', !android && has(/Linux/i)],
  ];
  const os = systems.filter(([, matches]) => matches).pop()?.[0] ?? 'unknown';

  const edgVersion = edg ? groupNumber(ua, /Edg\/(\d+)/) : null;
  const firefoxVersion = firefox ? groupNumber(ua, /Firefox\/(\d+)/) : null;
  // An unreadable version counts as too old, as in rtc-detect.
  const blacklisted =
    has(/UCBrowser/i) ||
    legacyEdge ||
    (edg && (edgVersion === null || edgVersion < 80)) ||
    (firefox && (firefoxVersion === null || firefoxVersion < 56));
  return { os, browser, blacklisted };
}

function unknownBrowser(): BrowserInfo {
  return { name: 'unknown', version: 'unknown' };
}
