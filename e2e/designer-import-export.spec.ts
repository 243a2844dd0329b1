import { readFile, writeFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { addNode, createWorkflow, nodeIds, select } from './designer-helpers';

async function importText(page: Page, name: string, text: string | Buffer): Promise<void> {
  // Playwright hands buffers over 50 MB to the page only as files on disk.
  const path = test.info().outputPath(name);
  await writeFile(path, text);
  await page.getByTestId('import-file').setInputFiles(path);
}

test('exports the draft and refuses malformed or hostile files without changing anything', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await createWorkflow(page, `E2E import ${Date.now()}`);
  const map = await addNode(page, 'transform');
  await page.getByTestId('save-draft').click();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-dirty', 'false');

  const download = page.waitForEvent('download');
  await page.getByTestId('export-graph').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^e2e-import-\d+\.switchyard\.json$/);
  const exported = JSON.parse(await readFile((await file.path())!, 'utf8')) as { schemaVersion: number; nodes: { id: string; label?: string; kind: string }[] };
  expect(exported.schemaVersion).toBe(1);
  expect(exported.nodes.map((n) => n.id).sort()).toEqual([map, 'trigger'].sort());

  const before = (await nodeIds(page)).sort();
  const hostile: [string, string | Buffer, RegExp][] = [
    ['broken.json', '{ "schemaVersion": 1, "nodes": [', /Not JSON/],
    ['wrong-schema.json', JSON.stringify({ schemaVersion: 1, nodes: 'all of them', edges: [] }), /nodes/],
    ['unknown-kind.json', JSON.stringify({ ...exported, nodes: [...exported.nodes, { id: 'x', kind: 'shell.exec', config: {} }] }), /Unknown node kind "shell\.exec"/],
    ['script.json', JSON.stringify({ ...exported, nodes: exported.nodes.map((n) => ({ ...n, label: '<script>alert(1)</script>' })) }), /HTML markup/],
    ['huge.json', Buffer.alloc(50 * 1024 * 1024, 0x20), /50\.0 MB; graph files may be at most 5\.0 MB/],
  ];
  for (const [name, text, message] of hostile) {
    await importText(page, name, text);
    const errors = page.getByTestId('import-errors');
    await expect(errors).toContainText(`${name} was not imported`);
    await expect(errors).toContainText(message);
    expect((await nodeIds(page)).sort()).toEqual(before);
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-dirty', 'false');
    await page.getByTestId('import-errors-close').click();
  }

  // A valid file replaces the draft in one step; undo restores it.
  const edited = { ...exported, nodes: exported.nodes.map((n) => (n.id === map ? { ...n, label: 'Imported map' } : n)) };
  await importText(page, 'good.json', JSON.stringify(edited));
  await expect(page.getByTestId(`node-${map}`)).toContainText('Imported map');
  await expect(page.getByTestId('import-errors')).toHaveCount(0);
  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 300 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId(`node-${map}`)).not.toContainText('Imported map');

  // Labels are text, never HTML, wherever they are shown.
  await select(page, map);
  await page.getByTestId('panel-label').fill('<img src=x onerror=alert(1)>');
  await expect(page.getByTestId(`node-${map}`)).toContainText('<img src=x onerror=alert(1)>');
  await page.getByTestId('panel-tab-problems').click();
  expect(dialogs).toBe(0);
});
