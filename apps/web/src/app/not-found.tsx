import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="page">
      <h1>Not found</h1>
      <p className="muted">
        That page does not exist. <Link href="/workflows">Back to workflows</Link>
      </p>
    </div>
  );
}
