import { reportProcessSchemeWrites } from '../helpers';
import { defineRule } from '../types';

export default defineRule({
  meta: {
    id: 'wsgi/os-environ-https-no-effect',
    severity: 'low',
    title: "os.environ['HTTPS'] in wsgi.py/asgi.py does not make Django see HTTPS",
    kinds: ['wsgi'],
  },
  check: (ctx) => reportProcessSchemeWrites(ctx, 'wsgi'),
});
