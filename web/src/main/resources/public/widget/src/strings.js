// The words the widget shows. Hosts translate or reword them with the `strings` option; `locale` picks the
// table (only English ships) and is sent to the server as Accept-Language.
const STRINGS = {
  en: {
    openChat: 'Open chat',
    closeChat: 'Close chat',
    title: 'Chat',
    newChat: 'New chat',
    history: 'History',
    historyTitle: 'Recent chats',
    historyEmpty: 'No chats yet.',
    loadMore: 'Show more',
    untitled: 'Untitled chat',
    rename: 'Rename',
    renameLabel: 'New name for this chat',
    save: 'Save',
    cancel: 'Cancel',
    delete: 'Delete',
    confirmDelete: 'Delete for good?',
    back: 'Back to chat',
    greeting: 'How can I help you today?',
    placeholder: 'Message',
    send: 'Send message',
    stop: 'Stop reply',
    attach: 'Attach a file',
    removeAttachment: 'Remove attachment',
    uploading: 'Uploading…',
    uploadFailed: 'Upload failed',
    thinking: 'Thinking…',
    copy: 'Copy',
    copied: 'Copied',
    good: 'Good response',
    bad: 'Bad response',
    thanks: 'Thanks for the feedback',
    retry: 'Retry',
    retryReply: 'Try again',
    sources: 'Sources',
    you: 'You',
    assistant: 'Assistant',
    dismiss: 'Dismiss',
    replyDone: 'Reply finished.',
    connectionLost: 'The connection was lost before the reply finished.',
    offline: 'Could not reach the chat server at {url}. Check your connection.',
    httpFailed: 'The chat server answered {method} {url} with HTTP {status}{reason}.',
    notAStream: 'The chat server answered {url} with {type} instead of a stream (HTTP {status}): something between you and the server rewrote the request.',
    sessionFailed: 'Could not start a chat session: {detail}',
    streamError: 'Something went wrong while answering.',
    loadFailed: 'Could not load this conversation.',
    earlier: 'Show earlier messages',
    toolFailed: 'The page could not run the tool {name}.',
    originRefused: 'This site ({origin}) is not allowed to use this chat server. Its operator can allow it by adding {origin} to PARLEY_ALLOWED_ORIGINS.',
    model: 'Model',
    dictate: 'Dictate',
    stopDictation: 'Stop dictation',
    micRefused: 'The microphone is not available: allow this page to use it, or type your message instead.',
    transcribing: 'Transcribing…',
    dictationFailed: 'Could not turn the recording into text.',
    removeTag: 'Remove tag',
    addTag: 'Mention something',
    fieldRequired: 'Please fill this in.',
    fieldType: 'Please enter a valid {type}.',
    fieldPattern: 'Please match the requested format.',
    fieldMin: 'Please enter {min} or more.',
    fieldMax: 'Please enter {max} or less.',
    fieldLength: 'Please check the length of this value.',
  },
};

export function makeStrings(locale, overrides) {
  const base = STRINGS[String(locale || '').toLowerCase().split('-')[0]] || STRINGS.en;
  const table = Object.assign({}, STRINGS.en, base, overrides || {});
  return (key, vars) => {
    let text = table[key] != null ? String(table[key]) : key;
    if (vars) text = text.replace(/\{(\w+)\}/g, (m, k) => (vars[k] != null ? String(vars[k]) : m));
    return text;
  };
}
