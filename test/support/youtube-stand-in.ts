/**
 * A stand-in for YouTube's IFrame Player API (the subset /widgets/media uses), for browser tests
 * to serve at https://www.youtube.com/iframe_api through page.route. It lives in the tests,
 * never in the product; it records each player made (`window.__yt.created`) and each call.
 */
export const YT_STAND_IN = `
window.__yt = { created: [], calls: [] };
window.YT = {
  Player: class {
    constructor(element, options) {
      this.id = window.__yt.created.length;
      window.__yt.created.push({ videoId: options.videoId, playerVars: options.playerVars, host: options.host });
      const frame = document.createElement('div');
      frame.className = 'yt-stand-in';
      frame.dataset.videoId = options.videoId;
      element.replaceWith(frame);
      setTimeout(() => options.events && options.events.onReady && options.events.onReady(), 0);
    }
    record(name, arg) { window.__yt.calls.push({ player: this.id, name, arg }); }
    playVideo() { this.record('play'); }
    pauseVideo() { this.record('pause'); }
    stopVideo() { this.record('stop'); }
    setVolume(v) { this.record('volume', v); }
    destroy() { this.record('destroy'); }
  },
};
setTimeout(() => window.onYouTubeIframeAPIReady && window.onYouTubeIframeAPIReady(), 0);
`;

export interface YtRecord {
  created: { videoId: string; playerVars: { start: number; end: number } }[];
  calls: { player: number; name: string; arg?: number }[];
}
declare global {
  interface Window {
    __yt?: YtRecord;
  }
}
