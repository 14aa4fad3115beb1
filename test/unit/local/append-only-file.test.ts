import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppendOnlyFile } from '#local/append-only-file';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'append-only-file-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('AppendOnlyFile', () => {
  it('reads a missing file as no lines', async () => {
    // Act
    const read = await new AppendOnlyFile(join(directory, 'missing.jsonl')).read();

    // Assess
    expect(read).toEqual({ lines: [], tornLastLine: false });
  });

  it('leaves out a last line without its newline and says it was torn', async () => {
    // Prepare
    const path = join(directory, 'log.jsonl');
    await writeFile(path, '{"n":1}\n\n{"n":2}\n{"n":3');

    // Act
    const read = await new AppendOnlyFile(path).read();

    // Assess
    expect(read).toEqual({ lines: ['{"n":1}', '{"n":2}'], tornLastLine: true });
  });

  it('writes appends in the order they were made, in a folder it creates', async () => {
    // Prepare
    const file = new AppendOnlyFile(join(directory, 'nested', 'log.jsonl'));

    // Act
    const writes = [file.append(['1']), file.append(['2', '3']), file.append(['4'])];
    await Promise.all(writes);

    // Assess
    expect(await readFile(file.path, 'utf8')).toBe('1\n2\n3\n4\n');
  });

  it('resolves an append only once its lines are in the file', async () => {
    // Prepare
    const file = new AppendOnlyFile(join(directory, 'log.jsonl'));

    // Act
    await file.append(['first']);

    // Assess
    expect(await readFile(file.path, 'utf8')).toBe('first\n');
  });

  it('replaces after the appends made before and keeps the appends made after', async () => {
    // Prepare
    const file = new AppendOnlyFile(join(directory, 'log.jsonl'));

    // Act
    void file.append(['dropped']);
    void file.replace(['kept']);
    await file.append(['after']);

    // Assess
    expect(await readFile(file.path, 'utf8')).toBe('kept\nafter\n');
  });

  it('reads what was appended before the read', async () => {
    // Prepare
    const file = new AppendOnlyFile(join(directory, 'log.jsonl'));

    // Act
    void file.append(['a']);
    const read = await file.read();

    // Assess
    expect(read.lines).toEqual(['a']);
  });

  it('continues on a line of its own after a torn line is replaced away', async () => {
    // Prepare
    const path = join(directory, 'log.jsonl');
    await writeFile(path, 'whole\ntor');
    const file = new AppendOnlyFile(path);

    // Act
    await file.replace((await file.read()).lines);
    await file.append(['next']);

    // Assess
    expect(await readFile(path, 'utf8')).toBe('whole\nnext\n');
  });

  it('appends synchronously before returning, and replaces synchronously', async () => {
    // Prepare
    const file = new AppendOnlyFile(join(directory, 'sync', 'log.jsonl'));

    // Act
    file.appendSync(['1']);
    file.appendSync(['2']);
    const beforeReplace = file.readSync();
    file.replaceSync(['2']);
    file.appendSync(['3']);
    file.close();

    // Assess
    expect(beforeReplace.lines).toEqual(['1', '2']);
    expect(file.readSync()).toEqual({ lines: ['2', '3'], tornLastLine: false });
  });

  it('rejects an append that cannot be written and goes on with the next one', async () => {
    // Prepare
    const blocker = join(directory, 'not-a-folder');
    await appendFile(blocker, '');
    const file = new AppendOnlyFile(join(blocker, 'log.jsonl'));

    // Act
    const failed = file.append(['x']);

    // Assess
    await expect(failed).rejects.toThrow();
    await expect(file.settled()).resolves.toBeUndefined();
  });
});
