/**
 * Why a file system call failed, in words a user can act on. Node's own messages
 * ("EACCES: permission denied, open '/x'") read as a crash; these complete a sentence
 * that already names the file ("spec file x.yaml cannot be read: permission denied").
 */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'is under a file, not a folder',
  EACCES: 'cannot be accessed: permission denied',
  EPERM: 'cannot be accessed: permission denied',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'cannot be written: the disk is full',
  EDQUOT: 'cannot be written: the disk quota is used up',
  EEXIST: 'is already taken by a file',
  ENAMETOOLONG: 'has too long a name',
  ELOOP: 'is a loop of symbolic links',
  EMFILE: 'cannot be opened: too many open files',
};

/** The errno code of a file system error (`ENOENT`...), if it is one. */
export function fsErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code) ? code : undefined;
}

/** "does not exist", "cannot be accessed: permission denied"...; falls back to the error's own message. */
export function fsReason(error: unknown): string {
  const code = fsErrorCode(error);
  const known = code === undefined ? undefined : REASONS[code];
  if (known !== undefined) return known;
  // Past V8's longest string (about 512 MB): certainly not a spec or a persona file.
  if (error instanceof RangeError || code === 'ERR_FS_FILE_TOO_LARGE' || code === 'ERR_STRING_TOO_LONG') return 'is too large to read';
  const message = error instanceof Error ? error.message : String(error);
  return `cannot be read: ${message.split('\n')[0] ?? message}`;
}
