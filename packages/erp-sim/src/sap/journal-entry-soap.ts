import { randomBytes } from 'node:crypto';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { header, type SimRequest, type SimResponse } from '../core/http-server';
import type { RecordData } from '../core/record-store';
import type { SimKit, VendorReply } from '../core/sim-kit';

/**
 * SAP S/4HANA Cloud "Journal Entry – Post (Synchronous)": the SOAP service
 * JournalEntryCreateRequestConfirmation_In (communication scenario SAP_COM_0002). The request is a
 * `JournalEntryBulkCreateRequest` envelope with one `JournalEntryCreateRequest` per document; the
 * answer is a `JournalEntryBulkCreateConfirmation` with, per document, the posted
 * AccountingDocument/CompanyCode/FiscalYear and a `Log` of SAP messages. Business errors (an
 * unbalanced document, a missing field) do not fault: they come back with HTTP 200, document
 * number `0000000000` and severity-3 log items. Only a request SAP cannot read is a SOAP fault.
 */

export const SAP_JOURNAL_ENTRY_SOAP_PATH = '/sap/bc/srt/scs_ext/sap/journalentrycreaterequestconfi';
export const SFIN_NAMESPACE = 'http://sap.com/xi/SAPSCORE/SFIN';
const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
/** The kind under which posted documents are kept: the same as the OData read service's entity set. */
export const JOURNAL_ENTRY_KIND = 'A_JournalEntry';
/** Message ids already answered, so a re-sent request gets the first confirmation instead of a second posting. */
const MESSAGE_KIND = 'JournalEntryCreateRequestMessage';

const ARRAYS = new Set(['JournalEntryCreateRequest', 'Item', 'CreditorItem', 'DebtorItem']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  // Only XML's predefined entities and character references are decoded: a DTD is refused before parsing.
  processEntities: true,
  isArray: (name) => ARRAYS.has(name),
});
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', suppressEmptyNode: false });

type Xml = Record<string, unknown>;
interface LogItem {
  TypeID: string;
  SeverityCode: '1' | '2' | '3';
  Note: string;
  WebURI?: string;
}

const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Xml)['#text'] === 'string') return (v as Xml)['#text'] as string;
  return undefined;
};

function envelope(body: Xml): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    builder.build({ 'soap-env:Envelope': { '@xmlns:soap-env': SOAP_ENV, 'soap-env:Header': '', 'soap-env:Body': body } })
  );
}

const XML_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8' };

/** A SOAP 1.1 fault as SAP's SOAP runtime sends it: `Client` for a request it cannot read, `Server` for its own trouble. */
export function soapFault(code: 'Client' | 'Server', message: string, status = 500): VendorReply {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return {
    status,
    headers: XML_HEADERS,
    body: envelope({
      'soap-env:Fault': {
        faultcode: `soap-env:${code}`,
        faultstring: { '@xml:lang': 'en', '#text': message },
        detail: {
          'n0:SystemFault': {
            '@xmlns:n0': 'http://sap.com/xi/WebService/xi2.0',
            Host: 'S4C',
            Component: 'APPL',
            ChainedException: { Exception_Name: code === 'Client' ? 'CX_ST_MATCH_ELEMENT' : 'CX_SRT_RUNTIME', Exception_Text: message },
            TimeStamp: stamp,
            TransactionID: randomBytes(16).toString('hex').toUpperCase(),
          },
        },
      },
    }),
  };
}

interface Posting {
  account: string;
  user: string;
  kit: SimKit;
}

interface Confirmation {
  referenceId: string;
  accountingDocument: string;
  companyCode: string;
  fiscalYear: string;
  log: LogItem[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT = /^-?\d{1,15}(\.\d{1,2})?$/;

/** Checks one `JournalEntry` and, when SAP would accept it, posts it; either way says why in the log. */
function postOne(p: Posting, request: Xml, index: number): Confirmation {
  const referenceId = text((request.MessageHeader as Xml | undefined)?.ID) ?? '';
  const je = (request.JournalEntry ?? {}) as Xml;
  const companyCode = text(je.CompanyCode) ?? '';
  const failed = (log: LogItem[]): Confirmation => ({
    referenceId,
    accountingDocument: '0000000000',
    companyCode,
    fiscalYear: '0000',
    log: [...log, { TypeID: '011(RW)', SeverityCode: '3', Note: `Error in document: ${text(je.OriginalReferenceDocumentType) ?? 'BKPFF'} $ ${p.account}` }],
  });
  const errors: LogItem[] = [];
  const need = (field: string) => {
    if (!text(je[field])) errors.push({ TypeID: '055(00)', SeverityCode: '3', Note: `Make an entry in field ${field} (JournalEntryCreateRequest[${index}])` });
  };
  for (const f of ['OriginalReferenceDocumentType', 'BusinessTransactionType', 'AccountingDocumentType', 'CompanyCode', 'DocumentDate', 'PostingDate']) need(f);
  for (const f of ['DocumentDate', 'PostingDate']) {
    const v = text(je[f]);
    if (v && (!ISO_DATE.test(v) || Number.isNaN(Date.parse(v)))) errors.push({ TypeID: '012(FAGL_POST)', SeverityCode: '3', Note: `${f} '${v}' is not a date (YYYY-MM-DD)` });
  }
  if (je.CreditorItem || je.DebtorItem) {
    errors.push({ TypeID: '899(FAGL_POST)', SeverityCode: '3', Note: 'CreditorItem and DebtorItem are not supported by this simulator; post G/L items (Item)' });
  }
  const items = (Array.isArray(je.Item) ? je.Item : []) as Xml[];
  if (items.length < 2) errors.push({ TypeID: '113(F5)', SeverityCode: '3', Note: 'A journal entry needs at least two items (Item)' });
  const currencies = new Set<string>();
  let balance = 0;
  const lines: RecordData[] = [];
  for (const [i, item] of items.entries()) {
    const where = `Item[${i + 1}]`;
    const gl = text(item.GLAccount);
    if (!gl) errors.push({ TypeID: '055(00)', SeverityCode: '3', Note: `Make an entry in field GLAccount (${where})` });
    const amountNode = item.AmountInTransactionCurrency as Xml | string | undefined;
    const amount = text(amountNode);
    const currency = typeof amountNode === 'object' ? (amountNode['@currencyCode'] as string | undefined) : undefined;
    if (!amount || !AMOUNT.test(amount)) {
      errors.push({ TypeID: '004(FAGL_POST)', SeverityCode: '3', Note: `AmountInTransactionCurrency '${amount ?? ''}' is not an amount (${where})` });
      continue;
    }
    if (!currency) errors.push({ TypeID: '055(00)', SeverityCode: '3', Note: `Make an entry in attribute currencyCode of AmountInTransactionCurrency (${where})` });
    else currencies.add(currency);
    const cents = Math.round(Number(amount) * 100);
    const dc = text(item.DebitCreditCode) ?? (cents >= 0 ? 'S' : 'H');
    if ((dc === 'S' && cents < 0) || (dc === 'H' && cents > 0) || (dc !== 'S' && dc !== 'H')) {
      errors.push({ TypeID: '707(F5)', SeverityCode: '3', Note: `Debit/credit code '${dc}' does not match the sign of amount ${amount} (${where})` });
    }
    balance += cents;
    const assignment = (item.AccountAssignment ?? {}) as Xml;
    lines.push({
      AccountingDocumentItem: String(i + 1).padStart(3, '0'),
      GLAccount: gl ?? '',
      AmountInTransactionCurrency: (cents / 100).toFixed(2),
      DebitCreditCode: dc,
      DocumentItemText: text(item.DocumentItemText) ?? '',
      CostCenter: text(assignment.CostCenter) ?? '',
      ProfitCenter: text(assignment.ProfitCenter) ?? '',
      TaxCode: text((item.Tax as Xml | undefined)?.TaxCode) ?? '',
      TransactionCurrency: currency ?? '',
    });
  }
  if (currencies.size > 1) errors.push({ TypeID: '016(FAGL_POST)', SeverityCode: '3', Note: `Items are in several currencies (${[...currencies].join(', ')}); one document takes one transaction currency` });
  if (errors.length === 0 && balance !== 0) {
    errors.push({ TypeID: '702(F5)', SeverityCode: '3', Note: `Balance in transaction currency: ${(balance / 100).toFixed(2)} ${[...currencies][0] ?? ''}` });
  }
  if (errors.length > 0) return failed(errors);

  const { store } = p.kit;
  const documentNumber = String(store.nextSequence(p.account, JOURNAL_ENTRY_KIND, 100000001)).padStart(10, '0');
  const postingDate = Date.parse(text(je.PostingDate) as string);
  const fiscalYear = new Date(postingDate).getUTCFullYear().toString();
  const now = p.kit.now();
  store.insert(p.account, JOURNAL_ENTRY_KIND, documentNumber, {
    AccountingDocument: documentNumber,
    CompanyCode: companyCode,
    FiscalYear: fiscalYear,
    AccountingDocumentType: text(je.AccountingDocumentType),
    DocumentDate: Date.parse(text(je.DocumentDate) as string),
    PostingDate: postingDate,
    DocumentReferenceID: text(je.DocumentReferenceID) ?? '',
    AccountingDocumentHeaderText: text(je.DocumentHeaderText) ?? '',
    TransactionCurrency: [...currencies][0],
    CreatedByUser: text(je.CreatedByUser) ?? p.user,
    CreationDate: Date.parse(new Date(now).toISOString().slice(0, 10)),
    LastChangeDateTime: now,
    to_Item: lines.map((l) => ({ AccountingDocument: documentNumber, ...l })),
  });
  return {
    referenceId,
    accountingDocument: documentNumber,
    companyCode,
    fiscalYear,
    log: [{ TypeID: '614(RW)', SeverityCode: '1', Note: `Document posted successfully: BKPFF ${documentNumber}${companyCode}${fiscalYear} ${p.account}` }],
  };
}

function confirmationXml(c: Confirmation): Xml {
  return {
    MessageHeader: { ID: randomBytes(16).toString('hex').toUpperCase(), ReferenceID: c.referenceId, CreationDateTime: new Date().toISOString() },
    JournalEntryCreateConfirmation: { AccountingDocument: c.accountingDocument, CompanyCode: c.companyCode, FiscalYear: c.fiscalYear },
    Log: logXml(c.log),
  };
}

function logXml(items: LogItem[]): Xml {
  const max = items.reduce((m, i) => Math.max(m, Number(i.SeverityCode)), 1);
  return { MaximumLogItemSeverityCode: String(max), Item: items };
}

/**
 * Handles a POST to the SOAP endpoint for an authenticated principal (logon and fault injection are
 * the caller's). Answers with the confirmation envelope, or a SOAP fault for an unreadable request.
 */
export function handleJournalEntrySoap(req: SimRequest, res: SimResponse, p: Posting): void {
  const reply = (r: VendorReply) => res.send(r.status, r.body, r.headers);
  if (req.method !== 'POST') return reply(soapFault('Client', `Method ${req.method} is not allowed: post a SOAP envelope`, 405));
  const type = (header(req, 'content-type') ?? '').toLowerCase();
  if (!type.startsWith('text/xml') && !type.startsWith('application/soap+xml')) {
    return reply(soapFault('Client', `Content-Type '${type || '(none)'}' is not supported: send text/xml (SOAP 1.1)`, 415));
  }
  // SOAP messages must not contain a document type declaration (SOAP 1.1, section 3).
  if (/<!DOCTYPE/i.test(req.body)) return reply(soapFault('Client', 'A SOAP message must not contain a document type declaration'));
  const valid = XMLValidator.validate(req.body);
  if (valid !== true) return reply(soapFault('Client', `XML is not well-formed: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`));
  const doc = parser.parse(req.body) as Xml;
  const body = ((doc.Envelope as Xml | undefined)?.Body ?? undefined) as Xml | undefined;
  if (!body) return reply(soapFault('Client', 'The request is not a SOAP envelope (no Envelope/Body)'));
  const bulk = body.JournalEntryBulkCreateRequest as Xml | undefined;
  if (!bulk || typeof bulk !== 'object') {
    const got = Object.keys(body).filter((k) => !k.startsWith('@'))[0] ?? '(empty body)';
    return reply(soapFault('Client', `Element '${got}' was not expected: the operation takes JournalEntryBulkCreateRequest (namespace ${SFIN_NAMESPACE})`));
  }
  const requests = (Array.isArray(bulk.JournalEntryCreateRequest) ? bulk.JournalEntryCreateRequest : []) as Xml[];
  if (requests.length === 0) return reply(soapFault('Client', 'JournalEntryBulkCreateRequest holds no JournalEntryCreateRequest'));

  const confirmations: Confirmation[] = requests.map((request, i) => {
    const messageId = text((request.MessageHeader as Xml | undefined)?.ID);
    // SAP detects a re-sent message by its id: the first answer is given again, nothing is posted twice.
    const seen = messageId ? p.kit.store.get(p.account, MESSAGE_KIND, messageId) : undefined;
    if (seen) return seen.data.confirmation as Confirmation;
    const confirmation = postOne(p, request, i + 1);
    if (messageId && confirmation.accountingDocument !== '0000000000') p.kit.store.insert(p.account, MESSAGE_KIND, messageId, { confirmation });
    return confirmation;
  });
  const failedCount = confirmations.filter((c) => c.accountingDocument === '0000000000').length;
  res.send(
    200,
    envelope({
      'n0:JournalEntryBulkCreateConfirmation': {
        '@xmlns:n0': SFIN_NAMESPACE,
        MessageHeader: {
          ID: randomBytes(16).toString('hex').toUpperCase(),
          ReferenceID: text((bulk.MessageHeader as Xml | undefined)?.ID) ?? '',
          CreationDateTime: new Date(p.kit.now()).toISOString(),
        },
        JournalEntryCreateConfirmation: confirmations.map(confirmationXml),
        Log: logXml([
          failedCount === 0
            ? { TypeID: '614(RW)', SeverityCode: '1', Note: `${confirmations.length} journal entr${confirmations.length === 1 ? 'y' : 'ies'} posted` }
            : { TypeID: '011(RW)', SeverityCode: '3', Note: `${failedCount} of ${confirmations.length} journal entries were not posted` },
        ]),
      },
    }),
    XML_HEADERS,
  );
}
